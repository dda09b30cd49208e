"""The demo's case plans (СОӨЖ 2-3): the five example cases, one handed out to every student, and the plans some
students built in the portal, handed in, defended and graded.

The term is in week 7 when the demo loads and СОӨЖ 2-3 is due at its end, so the picture is of a task under way:
eight plans handed in during week 6 (two of them twice), two begun and not handed in, the rest not begun. Six
students who had handed in early defended on the Friday of week 6 (the regular defences, in week 8, are still open
for booking) and were graded with the task's rubric, its "Қорғау" criterion included; five of those grades are
released, one is still a draft. The others wait for their defence, so they are not graded yet.
"""

import datetime as dt
from collections import Counter

from django.utils import timezone

from caseplans.models import CaseAssignment
from caseplans.services import cases_hand_out, plan_save, plan_submit, vignette_examples_add
from coursework.models import Attendance, Booking, Slot, SlotKind
from demo.grades import LEVEL_SHARES, rubric_scores
from directory.models import Entry
from grading.services.grades import grade_release, grade_save
from portfolio.models import Version, WorkingCopy

TASK = "СОӨЖ 2-3"
# Moments as (week of the term, weekday with Monday 0, hour), in Almaty time.
HANDED_OUT = (4, 0, 9)
# Handed in (twice: a second version) by students booked for a defence in week 8 (demo.slots): not graded yet.
AWAITING_DEFENCE = {"student1": [(6, 0, 21), (6, 3, 19)], "student2": [(6, 4, 22)]}
# Begun and saved, not handed in.
STARTED = {"student3": (6, 1, 19), "student4": (6, 4, 15)}
# Handed in early and defended on the Friday of week 6, in three slots of 20 minutes from 10:00, two seats each: a
# student on each example case, then one more, among those with no defence booked. Each takes, in turn, its hand-in
# moments and its levels on the rubric's criteria (profile, needs, goals, referrals, monitoring, defence). The last
# grade is not released yet.
EARLY_DEFENCE = (6, 4, 10)
EARLY = [
    ([(5, 3, 20)], (1, 1, 2, 1, 2, 1)),
    ([(5, 4, 18), (6, 2, 21)], (2, 2, 1, 2, 2, 2)),
    ([(6, 0, 16)], (2, 3, 2, 2, 3, 2)),
    ([(6, 1, 20)], (1, 2, 1, 2, 1, 1)),
    ([(6, 2, 14)], (3, 3, 3, 2, 3, 3)),
    ([(6, 3, 11)], (2, 2, 2, 1, 2, 2)),
]
COMMENTS = [
    ("Клиент профилі нақты, деректер жасырылған.", "Әлеуметтік тарихта бұрын алған көмегін толықтырыңыз."),
    ("Қажеттіліктер мен күшті жақтар теңгерімді бағаланған.", "Күшті жақтарды іс-шараларда қолданыңыз."),
    ("Мақсаттар өлшенетін, мерзімдері нақты.", "Кейбір іс-шараның жауаптысы мен мерзімін нақтылаңыз."),
    ("Жолдамалар анықтамалықтағы ұйымдардан орынды таңдалған.", "Әр жолдаманың мақсатын нақтырақ жазыңыз."),
    ("Қайта қарау күндері мақсаттармен үйлескен.", "Мониторинг көрсеткіштерін мақсаттармен байланыстырыңыз."),
    ("Қорғауда сұрақтарға сенімді жауап берді.", "Іс-шараларын жақсы негіздеді, бірақ қауіптерді бағалауы әлсіз."),
]  # fmt: skip
FEEDBACK = [
    "Өте жақсы жоспар: клиенттің жағдайы терең талданған, мақсаттар өлшенетін, қорғау сенімді өтті.",
    "Жақсы жоспар. Мақсаттардың көрсеткіштерін нақтылап, жолдамалардың мақсатын толықтырыңыз.",
    "Жоспар талапқа сай, бірақ іс-шаралар мен мақсаттардың байланысы әлсіз; қауіптерді бағалауға көңіл бөліңіз.",
]

# One plan for each example case, as a student of the course would write it. Goals: (key, text, indicator, target
# week); interventions: (what, who, agency, due week, goal key); referrals: (organisation, as the demo's directory
# names it, or written out; purpose); reviews: (week, focus).
PLANS = {
    "domestic_violence": {
        "profile": "Әйел, 32 жаста, екі баланың анасы (9 және 4 жаста). Қазір балаларымен бірге анасының үйінде "
        "уақытша тұрады. Арнаулы орта білімі бар (аспаз), жұмыс істемейді.",
        "history": "Он жылдық некенің соңғы үш жылында күйеуі ішімдікке салынып, психологиялық және физикалық "
        "зорлық-зомбылық көрсеткен. Клиент бұрын көмек сұрамаған. Соңғы жанжалдан кейін балаларымен үйден кеткен, "
        "полицияға арыз жазудан бас тартқан. Құжаттары күйеуінің үйінде қалған.",
        "needs": "Өзі мен балаларының қауіпсіздігі; уақытша баспана; құжаттарын қалпына келтіру; психологиялық көмек "
        "(үрей, ұйқысыздық, кінә сезімі); құқықтық кеңес (қорғау нұсқамасы, алимент); тұрақты табыс.",
        "strengths": "Балаларына қамқор, өзгеріске ниетті; кәсібі бар; анасы қолдайды; мектеп психологы "
        "отбасымен байланыста.",
        "problems": [
            "Қауіпсіздікке тікелей қатер: күйеуі телефон арқылы қорқытады",
            "Құжаттардың болмауы",
            "Табыстың болмауы, баспананың уақытша болуы",
            "Клиент пен ұлының психологиялық күйзелісі",
        ],
        "goals": [
            ("gsafe", "Клиент пен балалардың қауіпсіздігін қамтамасыз ету",
             "Қауіпсіздік жоспары жасалды; отбасы дағдарыс орталығына орналасты", 9),
            ("gdocs", "Жеке құжаттарды қалпына келтіру",
             "Жеке куәлік пен балалардың туу туралы куәліктері клиенттің қолында", 11),
            ("gwork", "Тұрақты табысқа қол жеткізу",
             "Жұмыспен қамту орталығына тіркелді, кемінде бір жұмыс ұсынысын алды", 14),
        ],
        "interventions": [
            ("Клиентпен бірге қауіпсіздік жоспарын құру", "case_manager", "", 7, "gsafe"),
            ("Дағдарыс орталығына жолдама беру, орналасуына ілесіп бару", "case_manager", "", 7, "gsafe"),
            ("Учаскелік полиция инспекторымен қорғау нұсқамасы туралы кездесу", "client", "", 8, "gsafe"),
            ("Жеке куәлік пен туу туралы куәліктерді қалпына келтіру", "agency", "ХҚКО", 10, "gdocs"),
            ("Аспаз мамандығы бойынша бос орындарды бірге қарау", "client", "", 13, "gwork"),
        ],
        "referrals": [
            ("«Жан» дағдарыс орталығы", "Уақытша баспана, психологиялық және заңгерлік көмек"),
            ("«Қамқор» әйелдерді қолдау орталығы", "Ажырасу мен алимент бойынша құқықтық кеңес"),
        ],
        "monitoring": "Алғашқы айда аптасына бір рет қауіпсіздікті тексеру, екі аптада бір рет жеке кездесу; мектеп "
        "психологымен айына бір рет ақпарат алмасу.",
        "reviews": [(9, "Қауіпсіздік жоспары мен баспана"), (12, "Құжаттар мен табыс бойынша ілгерілеу")],
        "closing": "Клиент пен балалар қауіпсіз жерде тұрады, зорлық-зомбылық қайталанбаған; құжаттары бар; тұрақты "
        "табыс көзі бар; клиент қажет кезде қайда жүгінетінін біледі.",
    },
    "families": {
        "profile": "Төрт баласы бар толық отбасы: әкесі 41, анасы 37 жаста; 14 жастағы қыз, 8 жастағы ұл және екі "
        "кіші бала. Ауылда ескі жеке үйде тұрады.",
        "history": "Отбасы бұрын АӘК алған, биыл құжаттар уақытында тапсырылмай, көмек тоқтаған. Әкесі маусымдық "
        "жұмыста, қыста табысы жоқ. Соңғы айларда әкесі ішімдікке әуестеніп, ата-ана арасында ұрыс жиілеген. "
        "Ауылдық округ әкімдігі отбасын есепке алған.",
        "needs": "Тұрақты табыс, АӘК-ті қалпына келтіру; үйді қысқа дайындау; балалардың қысқы киімі; үлкен қыздың "
        "сабаққа тұрақты қатысуы; ұлдың логопедке тексерілуі; әкесінің тәуелділік бойынша кеңес алуы.",
        "strengths": "Ата-ана балаларын жақсы көреді, отбасын сақтағысы келеді; анасының тігіншілік дағдысы бар; "
        "туыстары мен көршілері көмектеседі; мектеп пен фельдшерлік пункт отбасын біледі.",
        "problems": [
            "Табыстың тұрақсыздығы және АӘК-тің тоқтауы",
            "Үйдің қысқа дайын еместігі",
            "Үлкен қыздың сабақ босатуы",
            "Әкесінің ішімдікке әуестенуі, отбасындағы ұрыс",
        ],
        "goals": [
            ("gincome", "Отбасының табысын тұрақтандыру",
             "АӘК қайта тағайындалды; анасы үйден тігін тапсырыстарын алады", 10),
            ("ghome", "Үйді қысқа дайындау", "Шатыр мен пеш жөнделді, отын жеткілікті", 11),
            ("gkids", "Балалардың білімі мен денсаулығын қамтамасыз ету",
             "Үлкен қыз айына екі реттен артық сабақ босатпайды; ұл логопедке тексерілді", 13),
            ("gcalm", "Отбасындағы жанжалды азайту",
             "Әкесі психологтың кемінде үш кеңесіне қатысты; ата-ана ұрыс сирегенін айтады", 14),
        ],
        "interventions": [
            ("АӘК-ке құжаттарды жинауға және тапсыруға көмектесу", "case_manager", "", 7, "gincome"),
            ("Отын мен үй жөндеуге бір реттік көмекке өтініш беру", "agency", "Ауылдық округ әкімдігі", 8, "ghome"),
            ("Үлкен қыздың сабаққа қатысуын бақылау жоспарын жасау", "agency", "Ауыл мектебі", 8, "gkids"),
            ("Ұлды аудандық емханадағы логопедке жазу", "client", "", 10, "gkids"),
            ("Әкесін тәуелділік бойынша психологтың кеңесіне жіберу", "case_manager", "", 9, "gcalm"),
        ],
        "referrals": [
            ("Арнаулы әлеуметтік қызметтер көрсету орталығы", "Отбасын әлеуметтік сүйемелдеу, психолог кеңесі"),
            ("«Бақыт» балалар қоры", "Балаларға мектеп құралдары мен қысқы киім"),
        ],
        "monitoring": "Айына екі рет үйге бару; мектеппен және фельдшерлік пунктпен ай сайын хабарласу; АӘК туралы "
        "шешімді бақылау.",
        "reviews": [(10, "АӘК пен үй жөндеу"), (13, "Балалардың сабаққа қатысуы, отбасындағы ахуал")],
        "closing": "Отбасы АӘК алады немесе тұрақты табысы бар; үй қысқа дайын; балалар сабаққа тұрақты қатысады; "
        "отбасы қажет қызметтерге өзі жүгіне алады.",
    },
    "disability": {
        "profile": "Ер адам, 23 жаста, бірінші топтағы мүгедектігі бар, арбамен жүреді. Ата-анасымен бірге "
        "көпқабатты үйдің бесінші қабатында тұрады. Университеттегі оқуын тоқтатқан.",
        "history": "Екі жыл бұрын жол-көлік оқиғасында жұлыны зақымданған. Содан бері үйден сирек шығады: үйде "
        "лифт пен пандус жоқ. Жеке оңалту бағдарламасы жасалған, бірақ кейбір құралдар әлі берілмеген. Анасы күтім "
        "үшін жұмыстан шыққан.",
        "needs": "Оңалту құралдары (белсенді арба, ойық жараға қарсы матрас); үйден шығу мүмкіндігі; психологиялық "
        "қолдау және суицид қаупін бағалау; оқуын жалғастыру немесе қашықтан жұмыс.",
        "strengths": "Жас, компьютерді жақсы біледі; оқуға және жұмысқа қызығады; отбасы қамқор; емхананың "
        "әлеуметтік қызметкері байланыста.",
        "problems": [
            "Көңіл-күйдің түсуі, «ешкімге керегім жоқ» деген сөздер (қауіп белгісі)",
            "Үйден шыға алмау: пандус пен лифт жоқ",
            "Оңалту құралдарының берілмеуі",
            "Оқудың тоқтауы, табыстың болмауы",
        ],
        "goals": [
            ("gmood", "Психологиялық жағдайын тұрақтандыру",
             "Психолог суицид қаупін бағалады; клиент кемінде төрт кеңеске қатысты", 10),
            ("gout", "Үйден шығу мүмкіндігін қамтамасыз ету",
             "Кіреберіске пандус орнатылды немесе инватаксиге тіркелді; аптасына бір рет сыртқа шығады", 13),
            ("gtools", "Оңалту құралдарын алу", "Белсенді арба мен матрас берілді", 12),
            ("gstudy", "Оқуын немесе жұмысын қашықтан бастау",
             "Университетке қайта қабылдану туралы өтініш берді немесе онлайн курсты бастады", 14),
        ],
        "interventions": [
            ("Психологқа жолдау, суицид қаупін бағалау", "case_manager", "", 7, "gmood"),
            ("Аудан әкімдігіне пандус орнату туралы өтініш беру", "case_manager", "", 8, "gout"),
            ("Инватакси қызметіне тіркелу", "client", "", 8, "gout"),
            ("Оңалту құралдарына тапсырыстың барысын тексеру", "agency", "ХҚКО", 9, "gtools"),
            ("Университеттің инклюзивті білім беру бөлімімен кездесу", "case_manager", "", 10, "gstudy"),
        ],
        "referrals": [
            ("Мүгедектігі бар адамдарды оңалту орталығы", "Техникалық көмекші құралдар"),
            ("«Мейірім» қайырымдылық қоры", "Еріктілердің көмегі, сыртқа шығуға сүйемелдеу"),
        ],
        "monitoring": "Алғашқы екі аптада аптасына бір рет үйге бару, кейін екі аптада бір рет; психологпен ай сайын "
        "ақпарат алмасу; көңіл-күйі нашарласа, дереу кездесу.",
        "reviews": [(9, "Психологиялық жағдай және қауіп деңгейі"), (12, "Оңалту құралдары, үйден шығу")],
        "closing": "Көңіл-күйі тұрақты, қауіп белгілері жоқ; оңалту құралдары берілген; аптасына кемінде бір рет "
        "үйден шығады; оқуын немесе жұмысын бастаған.",
    },
    "unemployed": {
        "profile": "Ер адам, 48 жаста, үйленген, екі баласы бар. Шағын қалада тұрады. Мамандығы – слесарь, жиырма "
        "жылдық еңбек өтілі бар.",
        "history": "Зауыт жабылғаннан кейін екі жылдан астам тұрақты жұмысы жоқ. Жұмыспен қамту орталығына "
        "тіркелген, бірақ ұсыныстардан бас тартып, есептен шығып қалған. Отбасының негізгі табысы – әйелінің "
        "жалақысы. Несие бойынша берешек жиналған.",
        "needs": "Тұрақты жұмыс немесе жаңа мамандық; несие берешегін реттеу; қан қысымын тексерту; өзін-өзі "
        "бағалауын көтеру, достарымен байланысын қалпына келтіру; бос орын іздеу дағдысы.",
        "strengths": "Қолы шебер, дәнекерлеу жұмысын біледі, жүргізуші куәлігі бар; жұмыс істеуге ниетті; әйелі "
        "қолдайды.",
        "problems": [
            "Ұзақ уақыт жұмыссыздық, табыстың болмауы",
            "Несие бойынша берешек",
            "Тұйықталу, ішімдікке бейімділік",
            "Денсаулығына немқұрайлылық",
        ],
        "goals": [
            ("gjob", "Тұрақты жұмысқа орналасу",
             "Жұмыспен қамту орталығына қайта тіркелді; кемінде үш сұхбатқа барды", 14),
            ("gskill", "Жаңа мамандық алу", "Дәнекерлеуші курсына жазылып, оқуды бастады", 11),
            ("gdebt", "Несие берешегін реттеу", "Банкпен төлем кестесін өзгерту туралы келісім жасалды", 10),
        ],
        "interventions": [
            ("Жұмыспен қамту орталығына қайта тіркелуге бірге бару", "case_manager", "", 7, "gjob"),
            ("Бос орындарды интернеттен іздеуге, түйіндеме жазуға үйрету", "case_manager", "", 8, "gjob"),
            ("Дәнекерлеуші курсына жолдама беру", "agency", "Жұмыспен қамту орталығы", 9, "gskill"),
            ("Банкке несиені қайта құрылымдау туралы өтініш жазу", "client", "", 8, "gdebt"),
        ],
        "referrals": [
            ("Жұмыспен қамту орталығы", "Жұмысқа орналастыру, кәсіптік оқыту"),
            ("Заң клиникасы", "Несие шарты бойынша тегін заң кеңесі"),
        ],
        "monitoring": "Екі аптада бір рет кездесу; жұмыспен қамту орталығының инспекторымен ай сайын хабарласу; "
        "курсқа қатысуын бақылау.",
        "reviews": [(10, "Курс пен несие бойынша келісім"), (13, "Жұмысқа орналасу барысы")],
        "closing": "Клиент жұмысқа орналасқан немесе кәсіптік курсты аяқтаған; несие бойынша төлем кестесі "
        "сақталады; өз бетінше бос орын іздей алады.",
    },
    "elderly": {
        "profile": "Әйел, 79 жаста, зейнеткер (бұрынғы мұғалім), жесір. Аудан орталығында жалғыз тұрады. Қант "
        "диабеті бар, көзі нашар көреді, таяқпен жүреді.",
        "history": "Жолдасы қайтыс болғаннан бері жалғыз тұрады, балалары алыста. Өткен қыста үйде құлап, "
        "бірнеше сағат көмексіз жатқан. Содан бері сыртқа сирек шығады. Дәрісін қабылдауда қателеседі. Әлеуметтік "
        "қызметкердің келуінен бұрын бас тартқан.",
        "needs": "Құлаудың алдын алу, шұғыл көмек шақыру мүмкіндігі; дәріні дұрыс қабылдау; дұрыс тамақтану; "
        "әлеуметтік байланыс, жалғыздықты азайту; коммуналдық берешекті реттеу.",
        "strengths": "Ойы анық, әңгімелескенді жақсы көреді; көршісі көмектеседі; мешіттегі құрбыларымен "
        "араласқысы келеді; ұлымен байланысы бар.",
        "problems": [
            "Құлау қаупі және жалғыз тұру",
            "Дәріні қате қабылдау, салмақтың азаюы",
            "Жалғыздық, көңіл-күйдің түсуі",
            "Көмектен бас тарту",
        ],
        "goals": [
            ("gsafe", "Үйде қауіпсіз тұруын қамтамасыз ету",
             "Үйде тұтқыштар орнатылды; шұғыл шақыру түймесі бар; көрші күн сайын хабарласады", 10),
            ("gmeds", "Дәрі қабылдауды реттеу",
             "Апталық дәрі қорабы қолданылады; мейірбике айына екі рет тексереді", 11),
            ("gsocial", "Әлеуметтік байланыстарын кеңейту",
             "Күндізгі болу орталығына аптасына кемінде бір рет барады", 14),
        ],
        "interventions": [
            ("Үйге келу уақытын алдын ала келісіп, сенім орнату", "case_manager", "", 7, "gsafe"),
            ("Үйде әлеуметтік күтім қызметіне өтініш беру", "case_manager", "", 8, "gsafe"),
            ("Апталық дәрі қорабын толтыруды үйрету", "agency", "Емхананың учаскелік мейірбикесі", 8, "gmeds"),
            ("Ұлымен апта сайынғы бейнеқоңырау кестесін келісу", "client", "", 9, "gsocial"),
            ("Күндізгі болу орталығына алғаш рет бірге бару", "case_manager", "", 10, "gsocial"),
        ],
        "referrals": [
            ("«Ақ жүрек» қоғамдық қоры", "Үйде әлеуметтік көмек, азық-түлік себеті"),
            ("Қарттарға арналған күндізгі болу орталығы", "Күндізгі болу, үйірмелер, дәрігер кеңесі"),
        ],
        "monitoring": "Алғашқы айда аптасына бір рет үйге бару, кейін екі аптада бір рет; көршісімен және "
        "мейірбикемен тұрақты байланыс.",
        "reviews": [(10, "Үйдегі қауіпсіздік пен дәрі қабылдау"), (13, "Әлеуметтік байланыстар, көңіл-күй")],
        "closing": "Клиент үйде қауіпсіз тұрады, шұғыл көмек шақыра алады; дәріні дұрыс қабылдайды; аптасына "
        "кемінде бір рет адамдармен араласады.",
    },
}  # fmt: skip


def demo_caseplans(*, course):
    """Add the example cases, hand one out to every student, and build, hand in, defend and grade the plans.

    Rule: what exists is kept — the examples are added once (by title), only students without a case are given one,
    and the plans, the early defence and the grades are made only while nobody has begun a plan.
    """
    task = course.tasks.filter(label=TASK).first()
    instructor = course.instructors.first()
    if task is None or instructor is None:
        return
    vignette_examples_add(course=course, by=instructor)
    if cases_hand_out(task=task, by=instructor):
        CaseAssignment.objects.filter(task=task).update(assigned_at=_moment(course, HANDED_OUT))
    if WorkingCopy.objects.filter(task=task).exists():
        return
    assignments = {
        assignment.student.username: assignment
        for assignment in task.case_assignments.select_related("student", "vignette")
    }
    early = dict(zip(_early_students(task, assignments), EARLY, strict=False))  # username → (moments, levels)
    hand_ins = {**AWAITING_DEFENCE, **{username: moments for username, (moments, _) in early.items()}}
    entries = _directory_entries(course)
    written = Counter()  # plans written on each case so far, so that two students on one case differ
    for username in [*hand_ins, *STARTED]:
        assignment = assignments.get(username)
        category = assignment.vignette.client_category if assignment else None
        if category in PLANS:
            _write(task, assignment.student, PLANS[category], written[category], entries, hand_ins.get(username))
            written[category] += 1
    _early_defence(task, [assignments[username].student for username in early], instructor)
    _grade(task, instructor, {username: levels for username, (_, levels) in early.items()}, list(early)[-1:])


def _early_students(task, assignments):
    """The students of the early defence, by their number in the demo: first one on each example case, then more."""
    booked = Booking.objects.filter(slot__task=task, slot__kind=SlotKind.DEFENCE).values_list("student__username")
    taken = {username for (username,) in booked} | set(AWAITING_DEFENCE) | set(STARTED)
    candidates = sorted(
        (name for name in assignments if name not in taken and assignments[name].vignette.client_category in PLANS),
        key=lambda name: (len(name), name),
    )
    chosen = []
    for category in PLANS:
        chosen += [name for name in candidates if assignments[name].vignette.client_category == category][:1]
    chosen += [name for name in candidates if name not in chosen]
    return chosen[: len(EARLY)]


def _moment(course, when):
    """The moment of (week, weekday, hour) of the course's term, in Almaty time."""
    week, weekday, hour = when
    day = course.start_date + dt.timedelta(weeks=week - 1, days=weekday)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), timezone.get_default_timezone())


def _week_date(course, week):
    """The Friday of the week, as a plan's form writes a date; never after the term's last day."""
    return min(course.start_date + dt.timedelta(weeks=week - 1, days=4), course.end_date).isoformat()


def _directory_entries(course):
    """The department's directory entries students may refer to, by name."""
    return {entry.name: entry.pk for entry in Entry.objects.of_department(course.department_id).shown()}


def _form_values(course, plan, *, variant, entries, complete=True):
    """The plan as the page's form sends it. The ``variant``-th further student on the same case puts the first two
    problems the other way round, gives each goal ``variant`` weeks more and leaves out as many of the last
    interventions. An organisation the directory holds is picked from it; any other is written out.
    ``complete=False`` is a first draft: the profile, the history and the needs only."""
    values = {name: plan[name] for name in ("profile", "history", "needs")}
    if not complete:
        return values
    values.update({name: plan[name] for name in ("strengths", "monitoring", "closing")})
    problems = list(plan["problems"])
    if variant:
        problems[0], problems[1] = problems[1], problems[0]
    for index, text in enumerate(problems):
        values[f"problems-{index}-text"] = text
    for index, (key, text, indicator, week) in enumerate(plan["goals"]):
        values.update({f"goals-{index}-key": key, f"goals-{index}-text": text, f"goals-{index}-indicator": indicator})
        values[f"goals-{index}-target"] = _week_date(course, week + variant)
    interventions = plan["interventions"][: len(plan["interventions"]) - variant] or plan["interventions"]
    for index, (action, responsible, agency, week, goal) in enumerate(interventions):
        row = {"action": action, "responsible": responsible, "agency": agency, "goal": goal}
        values.update({f"interventions-{index}-{field}": value for field, value in row.items()})
        values[f"interventions-{index}-due"] = _week_date(course, week)
    for index, (organisation, purpose) in enumerate(plan["referrals"]):
        entry = entries.get(organisation)
        values[f"referrals-{index}-entry"] = str(entry) if entry else ""
        values[f"referrals-{index}-organisation"] = "" if entry else organisation
        values[f"referrals-{index}-purpose"] = purpose
    for index, (week, focus) in enumerate(plan["reviews"]):
        values.update({f"reviews-{index}-date": _week_date(course, week), f"reviews-{index}-focus": focus})
    return values


def _write(task, student, plan, variant, entries, moments):
    """Save the student's plan and hand it in at each of their ``moments`` (when there are two, the first version
    lacks the last review date), or, without moments, save the first draft of a student who has only begun."""
    course = task.course
    if not moments:
        moment = _moment(course, STARTED[student.username])
        values = _form_values(course, plan, variant=variant, entries=entries, complete=False)
        saved = plan_save(task=task, student=student, values=values, now=moment)
        WorkingCopy.objects.filter(pk=saved.pk).update(started_at=moment, saved_at=moment)
        return
    moments = [_moment(course, when) for when in moments]
    values = _form_values(course, plan, variant=variant, entries=entries)
    drafts = [values] if len(moments) == 1 else [_without_last_review(plan, values), values]
    for moment, draft in zip(moments, drafts, strict=True):
        saved = plan_save(task=task, student=student, values=draft, now=moment - dt.timedelta(minutes=20))
        plan_submit(task=task, student=student, statement_accepted=True, now=moment)
    WorkingCopy.objects.filter(pk=saved.pk).update(
        started_at=moments[0] - dt.timedelta(days=3), saved_at=moments[-1] - dt.timedelta(minutes=20)
    )


def _without_last_review(plan, values):
    last = len(plan["reviews"]) - 1
    return {name: value for name, value in values.items() if not name.startswith(f"reviews-{last}-")}


def _early_defence(task, students, instructor):
    """The Friday defence of week 6 for ``students``, each of whom came."""
    first = _moment(task.course, EARLY_DEFENCE)
    step = dt.timedelta(minutes=20)
    for number in range((len(students) + 1) // 2):
        slot = Slot.objects.create(
            task=task,
            kind=SlotKind.DEFENCE,
            starts_at=first + step * number,
            ends_at=first + step * (number + 1),
            place="Әл-Фараби 71, 6-корпус, 312-аудитория",
            capacity=2,
            booking_closes_at=first - dt.timedelta(hours=24),
            created_by=instructor,
        )
        for student in students[number * 2 : number * 2 + 2]:
            booked_at = first - dt.timedelta(days=3)
            Booking.objects.create(slot=slot, student=student, attendance=Attendance.ATTENDED, booked_at=booked_at)


def _grade(task, instructor, graded, not_released):
    """Grade the latest version of each plan in ``graded`` (username → levels) with the task's rubric, and release
    the grades, but those of ``not_released``."""
    if task.rubric_id is None:
        return
    criteria = list(task.rubric.criteria.prefetch_related("levels"))
    versions = (
        Version.objects.filter(submission__task=task, submission__student__username__in=graded, is_latest=True)
        .select_related("submission__student", "submission__task")
        .order_by("submission__student__username")
    )
    for index, version in enumerate(versions):
        username = version.submission.student.username
        levels = graded[username]
        picks = []
        for position in range(len(criteria)):
            level = levels[position % len(levels)]
            comment = COMMENTS[position % len(COMMENTS)][level > 1]
            picks.append((level, LEVEL_SHARES[level][(index + position) % 4], comment))
        grade = grade_save(
            version=version,
            grader=instructor,
            expected_lock_version=0,
            scores=rubric_scores(criteria, picks),
            feedback=FEEDBACK[min(round(sum(levels) / len(levels)) - 1, len(FEEDBACK) - 1)],
        )
        if username not in not_released:
            grade_release(grade=grade, by=instructor, notify=False)
