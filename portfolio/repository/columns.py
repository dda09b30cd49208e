"""The repository file's vocabulary: its columns, the lists of its fixed columns, the cities the check knows.

The words here are data, not interface text: the template writes them and the check reads them back, so a file
made from an older template, or typed by hand in Kazakh, Russian or English, is read whatever the translation
catalogues say today. Each column and each list value has its Kazakh and Russian words (the template shows both),
its English words, and the other spellings people use; matching ignores case, spaces and punctuation.
"""

import functools
import re
from dataclasses import dataclass, field

from portfolio.models import ClientCategory, Cost, OrganisationType, Region


def value_key(text):
    """A list value or a city as compared: lower case, ё as е, without spaces or punctuation."""
    return re.sub(r"[\W_]+", "", str(text).casefold().replace("ё", "е"))


def heading_key(text):
    """A heading as compared: as ``value_key``, and without a note in brackets ("Телефон (+7 …)")."""
    return value_key(re.sub(r"\(.*?\)", "", str(text)))


@dataclass(frozen=True)
class Term:
    """A value of a list: its code (the model's choice) and its words."""

    code: str
    kk: str
    ru: str
    en: str
    aliases: tuple[str, ...] = ()

    @property
    def both(self):
        """The Kazakh and Russian words as one value of the template's drop-down list."""
        return self.kk if self.kk == self.ru else f"{self.kk} / {self.ru}"

    def words(self, language):
        return {"kk": self.kk, "ru": self.ru}.get(language, self.en)


@dataclass(frozen=True)
class Vocabulary:
    """The values of one fixed column and every spelling that stands for each."""

    terms: tuple[Term, ...]
    lookup: dict = field(init=False, compare=False, repr=False)

    seen: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        lookup = {}
        for term in self.terms:
            for word in (term.both, term.kk, term.ru, term.en, *term.aliases):
                lookup.setdefault(value_key(word), term.code)
        object.__setattr__(self, "lookup", lookup)
        # The texts already looked up: a repository repeats a few values thousands of times.
        object.__setattr__(self, "seen", {})

    def code_of(self, text):
        """The code ``text`` stands for, or None."""
        if text not in self.seen:
            if len(self.seen) > 10_000:
                self.seen.clear()
            self.seen[text] = self.lookup.get(value_key(text))
        return self.seen[text]

    def term(self, code):
        return next(term for term in self.terms if term.code == code)


def _terms(*rows):
    """Terms from rows of (code, Kazakh, Russian, English, other spellings separated by "|")."""
    return tuple(Term(str(code), kk, ru, en, tuple(filter(None, other.split("|")))) for code, kk, ru, en, other in rows)


ORGANISATION_TYPES = Vocabulary(
    _terms(
        (
            OrganisationType.STATE,
            "Мемлекеттік орган",
            "Государственный орган",
            "State body",
            "Мемлекеттік мекеме|Мемлекеттік ұйым|Государственное учреждение|Государственная организация|ММ|ГУ|State|"
            "Government|State agency",
        ),
        (
            OrganisationType.NGO,
            "Үкіметтік емес ұйым",
            "Неправительственная организация",
            "Non-governmental organisation",
            "ҮЕҰ|НПО|НКО|Коммерциялық емес ұйым|Некоммерческая организация|Қоғамдық бірлестік|Общественное объединение|"
            "Қоғамдық қор|Общественный фонд|NGO|Non-governmental organization",
        ),
        (
            OrganisationType.CHARITY,
            "Қайырымдылық қоры",
            "Благотворительный фонд",
            "Charitable foundation",
            "Қайырымдылық ұйымы|Благотворительная организация|Charity|Charity foundation",
        ),
        (
            OrganisationType.INTERNATIONAL,
            "Халықаралық ұйым",
            "Международная организация",
            "International organisation",
            "International organization|International",
        ),
        (
            OrganisationType.PRIVATE,
            "Жеке ұйым",
            "Частная организация",
            "Private organisation",
            "Жекеменшік ұйым|Жеке меншік ұйым|Частная компания|Private|Private organization",
        ),
        (OrganisationType.OTHER, "Басқа", "Другое", "Other", "Өзге|Иное|Прочее"),
    )
)

CLIENT_CATEGORIES = Vocabulary(
    _terms(
        (
            ClientCategory.DOMESTIC_VIOLENCE,
            "Тұрмыстық зорлық-зомбылық құрбандары",
            "Жертвы бытового насилия",
            "Victims of domestic violence",
            "Тұрмыстық зорлық-зомбылықтан зардап шеккендер|Пострадавшие от бытового насилия",
        ),
        (
            ClientCategory.FAMILIES,
            "Өмірлік қиын жағдайдағы отбасылар",
            "Семьи в трудной жизненной ситуации",
            "Families in a difficult life situation",
            "Қиын жағдайдағы отбасылар|Семьи в ТЖС|Families in difficult life situation",
        ),
        (
            ClientCategory.DISABILITY,
            "Мүмкіндігі шектеулі адамдар",
            "Люди с ограниченными возможностями",
            "People with disabilities",
            "Мүгедектігі бар адамдар|Мүгедектер|Люди с инвалидностью|Лица с инвалидностью|"
            "Лица с ограниченными возможностями|People with disability|Persons with disabilities",
        ),
        (ClientCategory.UNEMPLOYED, "Жұмыссыздар", "Безработные", "Unemployed people", "Unemployed"),
        (
            ClientCategory.ELDERLY,
            "Қарт адамдар",
            "Пожилые люди",
            "Elderly people",
            "Егде жастағы адамдар|Қарттар|Зейнеткерлер|Пожилые|Пенсионеры|Elderly|Older people",
        ),
        (
            ClientCategory.CHILDREN,
            "Балалар мен жастар",
            "Дети и молодёжь",
            "Children and youth",
            "Балалар|Жастар|Дети|Молодёжь|Children|Youth",
        ),
        (
            ClientCategory.FORMER_PRISONERS,
            "Бас бостандығынан айыру орындарынан босатылғандар",
            "Освобождённые из мест лишения свободы",
            "People released from prison",
            "Бас бостандығынан босатылғандар|Бывшие осуждённые|Former prisoners",
        ),
        (
            ClientCategory.HOMELESS,
            "Белгілі бір тұрғылықты жері жоқ адамдар",
            "Лица без определённого места жительства",
            "People without a fixed home",
            "Баспанасыз адамдар|Бездомные|Homeless people|Homeless",
        ),
        (
            ClientCategory.MIGRANTS,
            "Көшіп-қонушылар",
            "Мигранты",
            "Migrants",
            "Мигранттар|Қандастар|Кандасы|Беженцы|Босқындар",
        ),
        (ClientCategory.OTHER, "Басқа", "Другое", "Other", "Өзге|Иное|Прочее"),
    )
)


def _regions(*rows):
    """Regions, each also under its short spellings: "Абай обл.", "Абайская обл."."""
    terms = []
    for code, kk, ru, en, other in rows:
        short = "|".join(word.replace(" облысы", " обл.").replace(" область", " обл.") for word in (kk, ru))
        terms.extend(_terms((code, kk, ru, en, f"{short}|{other}")))
    return tuple(terms)


REGIONS = Vocabulary(
    _regions(
        (Region.ASTANA, "Астана қаласы", "город Астана", "Astana (city)", "Астана|г. Астана|Astana"),
        (Region.ALMATY_CITY, "Алматы қаласы", "город Алматы", "Almaty (city)", "Алматы|г. Алматы|Almaty"),
        (Region.SHYMKENT, "Шымкент қаласы", "город Шымкент", "Shymkent (city)", "Шымкент|г. Шымкент|Shymkent"),
        (Region.ABAI, "Абай облысы", "Абайская область", "Abai Region", "Область Абай"),
        (Region.AKMOLA, "Ақмола облысы", "Акмолинская область", "Akmola Region", ""),
        (Region.AKTOBE, "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", ""),
        (Region.ALMATY, "Алматы облысы", "Алматинская область", "Almaty Region", ""),
        (Region.ATYRAU, "Атырау облысы", "Атырауская область", "Atyrau Region", ""),
        (Region.EAST, "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region", "ШҚО|ВКО"),
        (Region.JAMBYL, "Жамбыл облысы", "Жамбылская область", "Jambyl Region", "Zhambyl Region"),
        (Region.JETISU, "Жетісу облысы", "Область Жетісу", "Jetisu Region", "Область Жетысу|Zhetysu Region"),
        (Region.KARAGANDA, "Қарағанды облысы", "Карагандинская область", "Karaganda Region", ""),
        (Region.KOSTANAY, "Қостанай облысы", "Костанайская область", "Kostanay Region", ""),
        (Region.KYZYLORDA, "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", ""),
        (Region.MANGYSTAU, "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", ""),
        (
            Region.NORTH,
            "Солтүстік Қазақстан облысы",
            "Северо-Казахстанская область",
            "North Kazakhstan Region",
            "СҚО|СКО",
        ),
        (Region.PAVLODAR, "Павлодар облысы", "Павлодарская область", "Pavlodar Region", ""),
        (Region.TURKISTAN, "Түркістан облысы", "Туркестанская область", "Turkistan Region", ""),
        (Region.ULYTAU, "Ұлытау облысы", "Область Ұлытау", "Ulytau Region", "Область Улытау"),
        (Region.WEST, "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region", "БҚО|ЗКО"),
    )
)

COSTS = Vocabulary(
    _terms(
        (Cost.FREE, "Тегін", "Бесплатно", "Free", "Ақысыз|Бесплатная|Бесплатные"),
        (Cost.PAID, "Ақылы", "Платно", "Paid", "Платная|Платные"),
        (
            Cost.PARTLY,
            "Ішінара ақылы",
            "Частично платно",
            "Partly paid",
            "Жартылай ақылы|Частично|Частично платная|Partly",
        ),
    )
)


# Cities whose region is known: the cities of republican significance, the regional centres and a few large towns.
# A city of republican significance is its own region; any other settlement is accepted with the region given.
_CITIES = {
    Region.ASTANA: ("Астана", "Astana", "Нұр-Сұлтан", "Нур-Султан"),
    Region.ALMATY_CITY: ("Алматы", "Almaty"),
    Region.SHYMKENT: ("Шымкент", "Shymkent"),
    Region.ABAI: ("Семей", "Semey", "Семипалатинск", "Аягөз", "Аягоз", "Курчатов"),
    Region.AKMOLA: ("Көкшетау", "Кокшетау", "Kokshetau", "Степногорск", "Щучинск"),
    Region.AKTOBE: ("Ақтөбе", "Актобе", "Aktobe", "Хромтау"),
    Region.ALMATY: (
        "Қонаев",
        "Конаев",
        "Konaev",
        "Қапшағай",
        "Капчагай",
        "Қаскелең",
        "Каскелен",
        "Талғар",
        "Талгар",
        "Есік",
        "Есик",
    ),
    Region.ATYRAU: ("Атырау", "Atyrau", "Құлсары", "Кульсары"),
    Region.EAST: ("Өскемен", "Усть-Каменогорск", "Oskemen", "Ust-Kamenogorsk", "Риддер", "Ridder"),
    Region.JAMBYL: ("Тараз", "Taraz", "Шу", "Қаратау", "Каратау"),
    Region.JETISU: ("Талдықорған", "Талдыкорган", "Taldykorgan", "Жаркент", "Текелі", "Текели"),
    Region.KARAGANDA: ("Қарағанды", "Караганда", "Karaganda", "Теміртау", "Темиртау", "Балқаш", "Балхаш", "Шахтинск"),
    Region.KOSTANAY: ("Қостанай", "Костанай", "Kostanay", "Рудный", "Лисаковск", "Арқалық", "Аркалык"),
    Region.KYZYLORDA: ("Қызылорда", "Кызылорда", "Kyzylorda", "Байқоңыр", "Байконур", "Арал", "Аральск"),
    Region.MANGYSTAU: ("Ақтау", "Актау", "Aktau", "Жаңаөзен", "Жанаозен"),
    Region.NORTH: ("Петропавл", "Петропавловск", "Petropavl", "Petropavlovsk"),
    Region.PAVLODAR: ("Павлодар", "Pavlodar", "Екібастұз", "Экибастуз", "Ақсу", "Аксу"),
    Region.TURKISTAN: ("Түркістан", "Туркестан", "Turkistan", "Кентау", "Сарыағаш", "Сарыагаш"),
    Region.ULYTAU: ("Жезқазған", "Жезказган", "Zhezkazgan", "Сәтбаев", "Сатпаев", "Satbayev"),
    Region.WEST: ("Орал", "Уральск", "Oral", "Uralsk", "Ақсай", "Аксай"),
}
CITY_REGIONS = {value_key(city): str(region) for region, cities in _CITIES.items() for city in cities}
REPUBLICAN_CITIES = {str(Region.ASTANA), str(Region.ALMATY_CITY), str(Region.SHYMKENT)}
# Words around a city's name that do not change which city it is: "г. Алматы", "Алматы қаласы", "city of Almaty".
_CITY_NOISE = {"г", "гор", "город", "қ", "қала", "қаласы", "city", "of", "the"}


@functools.lru_cache(maxsize=4096)
def city_region(text):
    """The region of a city the check knows, or None for any other settlement."""
    words = [word for word in re.findall(r"\w+", str(text).casefold().replace("ё", "е")) if word not in _CITY_NOISE]
    return CITY_REGIONS.get(value_key("".join(words)))


@dataclass(frozen=True)
class Column:
    """A column of the repository sheet."""

    key: str  # the RepositoryRow field it fills
    kk: str
    ru: str
    en: str
    aliases: str = ""  # other headings people give it, separated by "|"
    required: bool = False
    contact: bool = False  # one of phone, e-mail, website: at least one of them is filled in
    vocabulary: Vocabulary | None = None
    max_length: int = 300
    width: int = 24

    @property
    def marker(self):
        return " *" if self.required else " **" if self.contact else ""

    @property
    def heading(self):
        """The template's heading: the Kazakh words above the Russian, each marked if the column must be filled."""
        if self.kk == self.ru:
            return f"{self.kk}{self.marker}"
        return f"{self.kk}{self.marker}\n{self.ru}{self.marker}"

    def words(self, language):
        return {"kk": self.kk, "ru": self.ru}.get(language, self.en)


# fmt: off
COLUMNS = (
    Column(
        "organisation", "Ұйымның атауы", "Название организации", "Organisation name",
        "Ұйым|Ұйым атауы|Организация|Наименование организации|Organisation|Organization|Organization name",
        required=True, width=36,
    ),
    Column(
        "organisation_type", "Ұйымның түрі", "Тип организации", "Organisation type",
        "Ұйым түрі|Түрі|Тип|Вид организации|Type|Organization type",
        required=True, vocabulary=ORGANISATION_TYPES, width=30,
    ),
    Column(
        "client_category", "Клиенттер санаты", "Категория клиентов", "Client category",
        "Клиент санаты|Санат|Категория|Мақсатты топ|Целевая группа|Category",
        required=True, vocabulary=CLIENT_CATEGORIES, width=36,
    ),
    Column(
        "services", "Көрсетілетін қызметтер", "Оказываемые услуги", "Services offered",
        "Қызметтер|Қызмет түрлері|Услуги|Виды услуг|Services",
        required=True, max_length=4000, width=44,
    ),
    Column(
        "region", "Өңір", "Регион", "Region", "Облыс|Область|Облыс немесе қала|Область или город",
        required=True, vocabulary=REGIONS, width=32,
    ),
    Column(
        "city", "Қала немесе елді мекен", "Город или населённый пункт", "City or settlement",
        "Қала|Елді мекен|Город|Населённый пункт|City|Settlement|Town",
        required=True, max_length=120, width=24,
    ),
    Column("address", "Мекенжай", "Адрес", "Address", "Мекенжайы|Мекен-жайы", width=36),
    Column(
        "phone", "Телефон", "Телефон", "Phone",
        "Телефондар|Телефоны|Байланыс телефоны|Контактный телефон|Тел|Telephone|Phone number",
        contact=True, max_length=60, width=24,
    ),
    Column(
        "email", "Электрондық пошта", "Электронная почта", "E-mail", "Эл. пошта|Эл. почта|Email|E-mail address|Почта",
        contact=True, max_length=254, width=28,
    ),
    Column("website", "Веб-сайт", "Веб-сайт", "Website", "Сайт|Web site|Site|Интернет-ресурс", contact=True, width=30),
    Column(
        "eligibility", "Кімге арналған", "Кто может обратиться", "Who is eligible",
        "Кім жүгіне алады|Кімдер жүгіне алады|Условия получения|Eligibility",
        max_length=4000, width=34,
    ),
    Column("cost", "Құны", "Стоимость", "Cost", "Ақысы|Оплата|Платность|Price", vocabulary=COSTS, width=22),
    Column(
        "hours", "Жұмыс уақыты", "Время работы", "Working hours",
        "Жұмыс кестесі|График работы|Режим работы|Hours|Opening hours",
        max_length=200, width=24,
    ),
    Column(
        "source", "Ақпарат көзі", "Источник информации", "Source of the information", "Дереккөз|Источник|Source",
        width=32,
    ),
    Column(
        "checked_on", "Тексерілген күні", "Дата проверки", "Date checked",
        "Тексеру күні|Тексерілген күн|Checked on|Date of check",
        width=18,
    ),
)
# fmt: on
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
HEADINGS = {
    heading_key(word): column.key
    for column in COLUMNS
    for word in (column.kk, column.ru, column.en, *column.aliases.split("|"))
}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
CONTACTS = tuple(column.key for column in COLUMNS if column.contact)
