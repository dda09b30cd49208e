from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.courses import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: the seed course running this term (started six weeks ago), instructor1, "
        "deptadmin1, student1…student24 in two groups, and a second course with instructor2. "
        "Idempotent. Refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off: they have a published password. "
                "Use --force if you really mean it."
            )
        course, other = demo_load()
        self.stdout.write(
            f"Demo loaded: {course.code} with {course.enrollments.count()} students and "
            f"{other.code} with {other.enrollments.count()}; password for every account: {DEMO_PASSWORD}"
        )
