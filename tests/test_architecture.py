"""The architecture as STYLE.md draws it, read from the source with ``ast``: layers, top-level imports, thin views,
modules of a readable size.

Layers, lowest first: config's support modules (settings, messages, responses, forms, formats) < accounts <
coursework < portfolio < directory < caseplans < analysis < toolkits < grading < demo. A module imports its own app
and the layers below it; config.urls, wsgi and asgi sit on top and may import anything; nothing imports config.urls.
Migrations are not read.
"""

import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "config",
    "accounts",
    "coursework",
    "portfolio",
    "directory",
    "caseplans",
    "analysis",
    "toolkits",
    "grading",
    "jobs",
    "maintenance",
    "demo",
]
TOP_OF_CONFIG = {"config.urls", "config.wsgi", "config.asgi"}
TOP = len(LAYERS)  # config.urls, wsgi and asgi
MAX_VIEW_LINES = 40
MAX_MODULE_LINES = 500
CYCLE_NOTE = "import cycle"
# Django's AppConfig.ready() imports the module of an app's signal receivers once every app is loaded.
READY_NOTE = "once the apps are loaded"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module):
    """The layer of a module of ours, or None for anything else (the standard library, Django, other packages)."""
    top = module.split(".")[0]
    if top not in LAYERS:
        return None
    if top == "config" and any(module == name or module.startswith(f"{name}.") for name in TOP_OF_CONFIG):
        return TOP
    return LAYERS.index(top)


def app_modules():
    paths = []
    for app in LAYERS:
        paths += [path for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts]
    return paths


MODULES = app_modules()


def relative(path):
    return path.relative_to(ROOT).as_posix()


def imported_modules(node, importer, is_package):
    """The modules an import statement reaches: ``from x import y`` may name a submodule y, so both count."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: resolve against the importing module's package
        package = importer.split(".")
        if not is_package:
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")]


class ImportFinder(ast.NodeVisitor):
    """Every import of a module with its line and whether it sits inside a function body."""

    def __init__(self):
        self.found = []  # (node, inside a function)
        self.depth = 0

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_Import(self, node):
        self.found.append((node, self.depth > 0))

    visit_ImportFrom = visit_Import


def imports_of(source):
    finder = ImportFinder()
    finder.visit(ast.parse(source))
    return finder.found


def comments_by_line(source):
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string
    return comments


def layer_violations(source, importer, is_package, where):
    """Imports from a layer above the importer's, and any import of config.urls, as readable lines."""
    own = layer_of(importer)
    problems = []
    for node, _inside in imports_of(source):
        statement = ast.unparse(node)
        for target in imported_modules(node, importer, is_package):
            if target == "config.urls" or target.startswith("config.urls."):
                problems.append(f"{where}:{node.lineno}: `{statement}` imports config.urls, which nothing may import")
                break
            target_layer = layer_of(target)
            if target_layer is not None and target_layer > own:
                problems.append(
                    f"{where}:{node.lineno}: `{statement}` — {importer} ({layer_name(own)}) imports "
                    f"{target} ({layer_name(target_layer)}), a layer above it"
                )
                break
    return problems


def layer_name(layer):
    return "config.urls/wsgi/asgi" if layer == TOP else ("config support" if layer == 0 else LAYERS[layer])


def function_imports(source, where):
    """Imports inside function bodies whose lines carry no comment saying they break an import cycle."""
    comments = comments_by_line(source)
    problems = []
    for node, inside in imports_of(source):
        if not inside:
            continue
        lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        if any(note in comments.get(line, "") for line in lines for note in (CYCLE_NOTE, READY_NOTE)):
            continue
        problems.append(f"{where}:{node.lineno}: `{ast.unparse(node)}` is imported inside a function body")
    return problems


def is_view_module(path):
    return path.name == "views.py" or path.parent.name == "views"


def long_views(source, where):
    """Public module-level functions of a view module longer than MAX_VIEW_LINES, counted from ``def`` to the last
    line of the body (decorators not counted)."""
    problems = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_VIEW_LINES:
                limit = f"at most {MAX_VIEW_LINES}"
                problems.append(f"{where}:{node.lineno}: view {node.name}() is {length} lines ({limit})")
    return problems


def report(problems):
    return "\n" + "\n".join(problems)


# The checks find what they look for ---------------------------------------------------------------


def test_the_scan_reads_every_app_and_leaves_migrations_out():
    names = {relative(path) for path in MODULES}
    assert {"accounts/access.py", "coursework/models/tasks.py", "portfolio/views/hand_in.py"} <= names
    assert {"grading/views/gradebook.py", "demo/courses.py", "config/settings.py", "config/urls.py"} <= names
    assert not any("/migrations/" in name for name in names)


def test_the_layer_check_names_an_import_from_above_and_an_import_of_the_urls():
    source = "import os\nfrom grading.models import Grade\nfrom config.messages import report_errors\n"
    assert layer_violations(source, "coursework.services", False, "coursework/services.py") == [
        "coursework/services.py:2: `from grading.models import Grade` — coursework.services (coursework) imports "
        "grading.models (grading), a layer above it"
    ]
    assert layer_violations("from config import urls\n", "demo.courses", False, "demo/courses.py") == [
        "demo/courses.py:1: `from config import urls` imports config.urls, which nothing may import"
    ]
    assert layer_violations("from accounts import views\n", "config.urls", False, "config/urls.py") == []
    relative_import = "from ..models import Grade\n"
    assert layer_violations(relative_import, "grading.views.grades", False, "grading/views/grades.py") == []
    assert imported_modules(ast.parse("from ..models import Grade").body[0], "grading.views.grades", False) == [
        "grading.models",
        "grading.models.Grade",
    ]


def test_the_function_import_check_spares_a_line_that_names_an_import_cycle():
    source = (
        "def f():\n"
        "    from grading.models import Grade  # import cycle: models import this module\n"
        "    import json\n"
        "    return Grade, json\n"
    )
    assert function_imports(source, "x.py") == ["x.py:3: `import json` is imported inside a function body"]


def test_the_view_length_check_counts_from_def_and_skips_helpers():
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_VIEW_LINES))
    source = f"@decorator\ndef view(request):\n{body}\n\n\ndef _helper():\n{body}\n"
    assert long_views(source, "v.py") == [f"v.py:2: view view() is {MAX_VIEW_LINES + 1} lines (at most 40)"]


# The code keeps to the architecture -----------------------------------------------------------------


def test_no_module_imports_from_a_layer_above_its_own_or_imports_config_urls():
    problems = []
    for path in MODULES:
        problems += layer_violations(
            path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py", relative(path)
        )
    assert not problems, report(problems)


def test_imports_live_at_module_top():
    problems = []
    for path in MODULES:
        problems += function_imports(path.read_text(encoding="utf-8"), relative(path))
    assert not problems, report(problems)


def test_views_are_thin():
    problems = []
    for path in MODULES:
        if is_view_module(path):
            problems += long_views(path.read_text(encoding="utf-8"), relative(path))
    assert not problems, report(problems)


def test_no_module_is_longer_than_500_lines():
    limit = MAX_MODULE_LINES
    problems = []
    for path in MODULES:
        length = len(path.read_text(encoding="utf-8").splitlines())
        if length > limit:
            problems.append(f"{relative(path)}:{length}: {length} lines (at most {limit})")
    assert not problems, report(problems)
