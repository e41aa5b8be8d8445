"""Fixed ingredients of the synthetic demo programme: organisations, tracks, origins and names.

Everything here is invented or generic. Municipalities are real places so the demo reads like
a Västra Götaland/Halland programme, but every person, organisation below municipality level and
number is made up. First and last names are drawn independently, so no full name belongs to a
real person on purpose; names of people in the project's source documents are never used.
"""

from __future__ import annotations

from dataclasses import dataclass

from stegvis.organisations.models import Organisation, Programme

PASSWORD = "demo-stegvis-2026"  # noqa: S105 - the published password of the demo users
EMAIL_DOMAIN = "stegvis-demo.invalid"  # RFC 2606: can never be delivered

PROGRAMME_NAME = "Broar till arbete"
PROGRAMME_CODE = "broar"
PROGRAMME_FUND = Programme.Fund.AMIF
PROGRAMME_DESCRIPTION = (
    "Påhittat demoprojekt inom Asyl-, migrations- och integrationsfonden: språk, jobbspår, "
    "kombinationsutbildningar samt hälsa och föräldrastöd för tredjelandsmedborgare i Västra "
    "Götaland och Halland. Alla personer och uppgifter är fiktiva. / Invented demo programme; "
    "all people and data are fictitious."
)

NEXT_STEP = "Nästa steg"
COMBINED = "Kombinationsutbildning"
JOB_TRACK_MUNICIPALITY = "Förberedande jobbspår – kommun"
JOB_TRACK_FOLK_HIGH_SCHOOL = "Förberedande jobbspår – folkhögskola"
HEALTH_PARENTING = "Hälsa och föräldraskap"

TRACKS: tuple[tuple[str, str], ...] = (
    (NEXT_STEP, "Språk, samhällsorientering och vägledning för deltagare med kort skolbakgrund."),
    (COMBINED, "Yrkesutbildning, till exempel vård och omsorg eller lokalvård, ihop med svenska."),
    (
        JOB_TRACK_MUNICIPALITY,
        "Orienteringskurser om arbetslivet, yrkessvenska och praktik i kommunal verksamhet.",
    ),
    (JOB_TRACK_FOLK_HIGH_SCHOOL, "Allmän kurs med arbetslivsinriktning och praktik."),
    (HEALTH_PARENTING, "Hälsokommunikation och föräldrastöd i små grupper, ofta på modersmål."),
)

ADULT_EDUCATION = "Vuxenutbildningen"
LABOUR_MARKET_UNIT = "Arbetsmarknadsenheten"
RECEPTION_UNIT = "Enheten för mottagande och integration"


@dataclass(frozen=True)
class PartnerSpec:
    """An organisation in the programme: its units, tracks, commitment and catchment."""

    slug: str  # used in usernames: samordnare.<slug>, personal.<slug>.<n>
    name: str
    kind: str
    municipality: str
    units: tuple[str, ...]
    tracks: tuple[str, ...]
    committed: int
    women_share: float
    # Other municipalities participants come from; the partner's own one dominates.
    neighbours: tuple[str, ...] = ()


_M = Organisation.Kind.MUNICIPALITY
_F = Organisation.Kind.FOLK_HIGH_SCHOOL
_S = Organisation.Kind.STUDY_ASSOCIATION
_ALL_MUNICIPAL_UNITS = (ADULT_EDUCATION, LABOUR_MARKET_UNIT, RECEPTION_UNIT)
_TWO_MUNICIPAL_UNITS = (ADULT_EDUCATION, LABOUR_MARKET_UNIT)

PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "lerum", "Lerums kommun", _M, "Lerum", _ALL_MUNICIPAL_UNITS,
        (JOB_TRACK_MUNICIPALITY, HEALTH_PARENTING), 45, 0.57, ("Alingsås", "Partille"),
    ),
    PartnerSpec(
        "alingsas", "Alingsås kommun", _M, "Alingsås", _TWO_MUNICIPAL_UNITS,
        (JOB_TRACK_MUNICIPALITY,), 110, 0.55, ("Lerum", "Vårgårda"),
    ),
    PartnerSpec(
        "boras", "Borås Stad", _M, "Borås", _ALL_MUNICIPAL_UNITS,
        (NEXT_STEP, COMBINED), 290, 0.59, ("Ulricehamn", "Mark"),
    ),
    PartnerSpec(
        "trollhattan", "Trollhättans Stad", _M, "Trollhättan", _ALL_MUNICIPAL_UNITS,
        (NEXT_STEP, COMBINED), 250, 0.54, ("Vänersborg", "Lilla Edet"),
    ),
    PartnerSpec(
        "vanersborg", "Vänersborgs kommun", _M, "Vänersborg", (ADULT_EDUCATION, RECEPTION_UNIT),
        (NEXT_STEP, HEALTH_PARENTING), 130, 0.60, ("Trollhättan",),
    ),
    PartnerSpec(
        "uddevalla", "Uddevalla kommun", _M, "Uddevalla", _ALL_MUNICIPAL_UNITS,
        (NEXT_STEP, COMBINED), 180, 0.56, ("Munkedal", "Lysekil"),
    ),
    PartnerSpec(
        "skovde", "Skövde kommun", _M, "Skövde", _TWO_MUNICIPAL_UNITS,
        (NEXT_STEP, COMBINED), 150, 0.53, ("Skara", "Tibro"),
    ),
    PartnerSpec(
        "lidkoping", "Lidköpings kommun", _M, "Lidköping", _TWO_MUNICIPAL_UNITS,
        (NEXT_STEP,), 100, 0.52, ("Götene", "Grästorp"),
    ),
    PartnerSpec(
        "mariestad", "Mariestads kommun", _M, "Mariestad", (LABOUR_MARKET_UNIT, RECEPTION_UNIT),
        (JOB_TRACK_MUNICIPALITY,), 70, 0.49, ("Töreboda", "Gullspång"),
    ),
    PartnerSpec(
        "falkoping", "Falköpings kommun", _M, "Falköping", _TWO_MUNICIPAL_UNITS,
        (NEXT_STEP,), 90, 0.58, ("Tidaholm",),
    ),
    PartnerSpec(
        "kungalv", "Kungälvs kommun", _M, "Kungälv", _TWO_MUNICIPAL_UNITS,
        (JOB_TRACK_MUNICIPALITY,), 80, 0.51, ("Ale", "Stenungsund"),
    ),
    PartnerSpec(
        "molndal", "Mölndals stad", _M, "Mölndal", _ALL_MUNICIPAL_UNITS,
        (NEXT_STEP, COMBINED), 130, 0.57, ("Härryda", "Partille"),
    ),
    PartnerSpec(
        "halmstad", "Halmstads kommun", _M, "Halmstad", _ALL_MUNICIPAL_UNITS,
        (NEXT_STEP, COMBINED), 210, 0.55, ("Laholm", "Hylte"),
    ),
    PartnerSpec(
        "varberg", "Varbergs kommun", _M, "Varberg", _TWO_MUNICIPAL_UNITS,
        (NEXT_STEP,), 95, 0.54, ("Falkenberg",),
    ),
    PartnerSpec(
        "falkenberg", "Falkenbergs kommun", _M, "Falkenberg", (LABOUR_MARKET_UNIT,),
        (JOB_TRACK_MUNICIPALITY,), 60, 0.47, ("Varberg", "Hylte"),
    ),
    PartnerSpec(
        "lelangen", "Lelångens folkhögskola", _F, "Bengtsfors",
        ("Allmän kurs", "Etableringskurs"), (JOB_TRACK_FOLK_HIGH_SCHOOL,), 60, 0.52,
        ("Åmål", "Dals-Ed"),
    ),
    PartnerSpec(
        "kroppefjall", "Kroppefjälls folkhögskola", _F, "Mellerud",
        ("Allmän kurs", "Svenska från dag ett"), (JOB_TRACK_FOLK_HIGH_SCHOOL,), 70, 0.57,
        ("Vänersborg", "Bengtsfors", "Färgelanda"),
    ),
    PartnerSpec(
        "ljungbacken", "Ljungbackens folkhögskola", _F, "Falköping",
        ("Allmän kurs", "Vård- och omsorgsspåret"), (JOB_TRACK_FOLK_HIGH_SCHOOL, COMBINED), 80,
        0.65, ("Skövde", "Tidaholm", "Ulricehamn"),
    ),
    PartnerSpec(
        "vagvisaren", "Studieförbundet Vägvisaren", _S, "Borås",
        ("Avdelning Sjuhärad",), (HEALTH_PARENTING,), 165, 0.75, ("Ulricehamn", "Mark"),
    ),
    PartnerSpec(
        "framtidsbron", "Bildningsförbundet Framtidsbron", _S, "Halmstad",
        ("Avdelning Halland",), (HEALTH_PARENTING,), 120, 0.73, ("Laholm", "Falkenberg"),
    ),
)  # fmt: skip

OWNER_SLUG = "vgr"
OWNER_NAME = "Västra Götalandsregionen, Folkhögskoleförvaltningen"
OWNER_UNIT = "Projektkontoret Broar till arbete"

# Organisations that are not partners; they receive participant data only through consent.
EXTERNAL_ORGANISATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # slug, name, kind, municipality, unit
    (
        "arbetsformedlingen",
        "Arbetsförmedlingen",
        Organisation.Kind.PUBLIC_EMPLOYMENT_SERVICE,
        "",
        "Arbetsförmedlingen Trollhättan",
    ),
    (
        "regionhalsan",
        "Regionhälsan Väst",
        Organisation.Kind.REGIONAL_HEALTH_CARE,
        "Borås",
        "Hälsokommunikatörerna",
    ),
    ("nyagrannar", "Föreningen Nya grannar", Organisation.Kind.NGO, "Uddevalla", "Mötesplatsen"),
)

STAFF_TITLES: dict[str, tuple[str, ...]] = {
    ADULT_EDUCATION: ("SFI-lärare", "Studie- och yrkesvägledare", "Praktiksamordnare"),
    LABOUR_MARKET_UNIT: ("Arbetsmarknadshandläggare", "Jobbcoach"),
    RECEPTION_UNIT: ("Flyktingsamordnare", "Integrationshandläggare"),
}
DEFAULT_STAFF_TITLES = ("Kursledare", "Cirkelledare", "Lärare", "Handledare")


@dataclass(frozen=True)
class NameGroup:
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NAME_GROUPS: dict[str, NameGroup] = {
    "swedish": NameGroup(
        _names(
            "Karin Johanna Sara Emma Lena Eva Anna Sofia Linnea Helena Ulrika Therese Jenny "
            "Cecilia Frida Maja Ingrid Louise Hanna Elin"
        ),
        _names(
            "Erik Johan Anders Peter Magnus Fredrik Henrik Jonas Daniel Per Oskar Niklas "
            "Tobias Stefan Gustav Viktor Olof Mikael"
        ),
        _names(
            "Lindqvist Bergström Sandberg Ekström Forsberg Nyström Lundgren Sjöberg Wallin "
            "Engström Åberg Hedlund Lindahl Björk Dahlberg Strand Blom Fransson Nordin Ekberg "
            "Håkansson Berglund Sundqvist Lindström"
        ),
    ),
    "arabic": NameGroup(
        _names(
            "Amal Rasha Hiba Lina Rana Dima Reem Noor Samar Huda Layla Fatima Maha Ghada Safaa "
            "Wafaa Nisreen Asmaa Yasmin Rawan Sawsan Manal Hanan Aya Batoul"
        ),
        _names(
            "Ahmad Khaled Omar Yousef Hassan Ali Mahmoud Samir Bassam Tarek Rami Fadi Walid "
            "Ibrahim Mustafa Hussein Ammar Jamal Nabil Majd Anas Firas"
        ),
        _names(
            "Al-Hassan Haddad Khalil Saleh Darwish Mansour Nasser Abboud Hamdan Jaber Al-Ahmad "
            "Qasim Sabbagh Shami Barakat Hamoud Othman Al-Khatib Ismail Al-Jasim Kanaan Aziz"
        ),
    ),
    "kurdish": NameGroup(
        _names("Berivan Rojin Shilan Avin Nazdar Dilan Sozan Hêvî Jiyan Zerin Chiman Shirin"),
        _names("Rebin Dilshad Azad Kawa Shvan Baran Hoshyar Soran Aram Karwan Diyar Serwan"),
        _names("Hawrami Mirani Dosky Baban Sindi Amedi Rekani Goran Shexani Bamarni Duhoki"),
    ),
    "dari": NameGroup(
        _names(
            "Zahra Maryam Fereshta Nargis Shabnam Mahbooba Parisa Roya Setareh Laleh Nasrin "
            "Farida Mursal Sima Tahmina Zarifa Masouma Freshta"
        ),
        _names(
            "Ahmad Hamid Javad Reza Farid Mahdi Nasir Sayed Ali Mustafa Jawid Rahim Omid "
            "Dawood Samiullah Wahid Sohrab Yama"
        ),
        _names(
            "Ahmadi Rahimi Hosseini Karimi Mohammadi Rezaei Sultani Jafari Noori Amiri Hakimi "
            "Sadat Azizi Habibi Haidari Rasuli Qaderi Nazari"
        ),
    ),
    "pashto": NameGroup(
        _names("Palwasha Gulalai Zarmina Spogmai Nazo Shukria Mina Lailuma"),
        _names("Zalmai Khalid Naqibullah Habibullah Ajmal Shafiq Noorullah Asadullah"),
        _names("Popal Zadran Shinwari Mohmand Safi Niazi Wardak Stanekzai Achakzai Sherzad"),
    ),
    "persian": NameGroup(
        _names("Maryam Nazanin Shirin Parisa Leila Niloufar Azadeh Bahar Golnaz Mitra Ladan"),
        _names("Amir Babak Kaveh Payam Arash Behrouz Farhad Saeed Kamran Pouya Navid Ramin"),
        _names(
            "Tehrani Moradi Ghorbani Rostami Kazemi Sadeghi Bahrami Shirazi Najafi Farahani "
            "Esfahani Salehi"
        ),
    ),
    "somali": NameGroup(
        _names(
            "Hodan Fadumo Hawa Sahra Ifrah Ubah Hibo Deeqa Nimco Sagal Khadra Idil Ruqiya "
            "Asha Sucaad Ladan Muna Xamdi"
        ),
        _names(
            "Abdirahman Abdullahi Mahad Abdiaziz Guled Liban Said Yusuf Hassan Bashir Mukhtar "
            "Cabdi Faarax Khadar Sharmarke"
        ),
        _names(
            "Warsame Jama Farah Osman Hersi Abdi Aden Nur Egal Dirie Hussein Yusuf Ismail "
            "Elmi Guleed Samatar Abdille Qorane"
        ),
    ),
    "tigrinya": NameGroup(
        _names(
            "Senait Selam Yordanos Rahel Mehret Tsega Luwam Saba Feven Winta Hiwet Azieb Aster "
            "Eden Filmona"
        ),
        _names(
            "Dawit Yonas Tesfay Mussie Amanuel Filmon Tekle Semere Biniam Henok Efrem Kibrom "
            "Robel Natnael"
        ),
        _names(
            "Tesfamariam Gebremedhin Haile Kidane Berhane Tekle Woldemichael Habte Araya "
            "Mebrahtu Asmerom Zerai Ghebremariam Okbay"
        ),
    ),
    "amharic": NameGroup(
        _names(
            "Meseret Tigist Hirut Bethlehem Mahlet Selamawit Almaz Genet Frehiwot Eyerusalem "
            "Meron Tsion"
        ),
        _names(
            "Abebe Girma Tesfaye Dereje Solomon Yohannes Bekele Getachew Mulugeta Tadesse "
            "Ermias Yared"
        ),
        _names("Alemu Tadesse Bekele Desta Wolde Mekonnen Assefa Gebre Kebede Worku Negash Ayele"),
    ),
    "oromo": NameGroup(
        _names("Chaltu Lalise Bontu Hawi Obse Ebise Gadise Sena"),
        _names("Gemechu Lencho Tolosa Abdisa Chala Gutema Biftu Dawit"),
        _names("Gudina Tolera Fayisa Bulcha Jaleta Dhugassa Gonfa Waqo"),
    ),
    "thai": NameGroup(
        _names(
            "Siriporn Kanokwan Nattaya Pornpimol Sukanya Wanida Jintana Duangjai Kannika "
            "Supaporn Achara Ratchanee Napaporn Thanyarat"
        ),
        _names("Somchai Anan Chaiwat Prasert Somsak Wichai Niran Kittipong"),
        _names(
            "Saelim Chaiyaphum Srisuk Boonmee Kaewkla Thongdee Phromma Sukhon Wongsa Inthara "
            "Rattanakorn Saengthong"
        ),
    ),
    "ukrainian": NameGroup(
        _names(
            "Olena Oksana Iryna Tetiana Nataliia Yuliia Svitlana Kateryna Halyna Viktoriia "
            "Anastasiia Liudmyla Mariia Daryna Alina"
        ),
        _names("Oleksandr Andrii Serhii Dmytro Mykola Yurii Vasyl Ihor Bohdan Taras Maksym Roman"),
        _names(
            "Kovalenko Bondarenko Tkachenko Shevchuk Kravchenko Melnyk Savchenko Lysenko Moroz "
            "Polishchuk Marchenko Kovalchuk Rudenko Petrenko Hrytsenko Ostapchuk"
        ),
    ),
    "turkish": NameGroup(
        _names("Ayşe Elif Zeynep Hatice Emine Gülsüm Derya Sevgi Melek Songül Esra Dilek"),
        _names("Mehmet Murat Hakan Emre Serkan Ömer Yusuf Burak Kemal Hüseyin Cengiz Volkan"),
        _names("Yılmaz Kaya Demir Şahin Çelik Aydın Özdemir Arslan Doğan Koç Kurt Polat"),
    ),
}


@dataclass(frozen=True)
class Origin:
    """Where a group of participants comes from, and what tends to go with it."""

    weight: float
    citizenship: str | None  # None: stateless
    birth_countries: tuple[tuple[str, float], ...]
    # (mother tongue, name group, weight)
    languages: tuple[tuple[str, str, float], ...]
    # (language, probability) of speaking it besides the mother tongue
    other_languages: tuple[tuple[str, float], ...]
    # (first year, last year, weight) of arrival in Sweden
    arrival: tuple[tuple[int, int, float], ...]
    schooling: str  # key of SCHOOLING_PROFILES
    women_bias: float = 0.0


ORIGINS: dict[str, Origin] = {
    "SY": Origin(
        22, "SY", (("SY", 1.0),), (("ar", "arabic", 0.85), ("ku", "kurdish", 0.15)),
        (("en", 0.25), ("tr", 0.05)), ((2013, 2014, 2), (2015, 2016, 5), (2017, 2024, 2)), "mid",
    ),
    "AF": Origin(
        15, "AF", (("AF", 0.75), ("IR", 0.25)),
        (("prs", "dari", 0.6), ("ps", "pashto", 0.25), ("fa", "dari", 0.15)),
        (("fa", 0.3), ("en", 0.15), ("ps", 0.1)),
        ((2010, 2014, 1), (2015, 2016, 4), (2017, 2020, 1), (2021, 2025, 2)), "low",
    ),
    "SO": Origin(
        11, "SO", (("SO", 0.9), ("KE", 0.05), ("ET", 0.05)), (("so", "somali", 1.0),),
        (("ar", 0.3), ("en", 0.3), ("sw", 0.05)), ((2010, 2014, 3), (2015, 2020, 1)), "low",
        0.05,
    ),
    "ER": Origin(
        9, "ER", (("ER", 0.85), ("ET", 0.1), ("SD", 0.05)),
        (("ti", "tigrinya", 0.9), ("ar", "arabic", 0.1)), (("ar", 0.25), ("am", 0.3), ("en", 0.3)),
        ((2013, 2016, 3), (2017, 2022, 1)), "low",
    ),
    "IQ": Origin(
        9, "IQ", (("IQ", 1.0),),
        (("ar", "arabic", 0.65), ("ckb", "kurdish", 0.25), ("ku", "kurdish", 0.1)),
        (("en", 0.25), ("ar", 0.1)), ((2010, 2016, 2), (2017, 2024, 1)), "mid",
    ),
    "IR": Origin(
        5, "IR", (("IR", 1.0),), (("fa", "persian", 0.85), ("ku", "kurdish", 0.15)),
        (("en", 0.4), ("tr", 0.05)), ((2012, 2025, 1),), "high",
    ),
    "TH": Origin(
        4, "TH", (("TH", 1.0),), (("th", "thai", 1.0),), (("en", 0.3),), ((2010, 2025, 1),),
        "mid", 0.3,
    ),
    "UA": Origin(
        9, "UA", (("UA", 1.0),), (("uk", "ukrainian", 0.75), ("ru", "ukrainian", 0.25)),
        (("ru", 0.6), ("uk", 0.4), ("en", 0.35)), ((2022, 2022, 5), (2023, 2025, 2)), "high",
        0.12,
    ),
    "ET": Origin(
        5, "ET", (("ET", 1.0),),
        (("am", "amharic", 0.6), ("om", "oromo", 0.3), ("ti", "tigrinya", 0.1)),
        (("am", 0.3), ("en", 0.35), ("ar", 0.1)), ((2010, 2022, 1),), "mid",
    ),
    "TR": Origin(
        3, "TR", (("TR", 1.0),), (("tr", "turkish", 0.65), ("ku", "kurdish", 0.35)),
        (("en", 0.3), ("tr", 0.2)), ((2016, 2025, 1),), "mid",
    ),
    "stateless": Origin(
        2, None, (("SY", 0.5), ("LB", 0.2), ("KW", 0.15), ("IQ", 0.15)),
        (("ar", "arabic", 1.0),), (("en", 0.2),), ((2013, 2019, 1),), "mid",
    ),
}  # fmt: skip

# Citizenships that make a person ineligible: EU citizenship gained elsewhere on the way.
EU_CITIZENSHIPS: tuple[str, ...] = ("NL", "IT", "DK", "FI", "DE")

# (first year, last year, weight) of years of schooling.
SCHOOLING_PROFILES: dict[str, tuple[tuple[int, int, float], ...]] = {
    "low": ((0, 0, 22), (1, 5, 22), (6, 9, 28), (10, 12, 18), (13, 15, 6), (16, 18, 4)),
    "mid": ((0, 0, 8), (1, 5, 14), (6, 9, 30), (10, 12, 28), (13, 15, 11), (16, 18, 9)),
    "high": ((1, 5, 2), (6, 9, 10), (10, 12, 40), (13, 15, 22), (16, 19, 26)),
}

# (age from, age to, weight) at the start of the first enrollment.
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (19, 24, 10),
    (25, 34, 33),
    (35, 44, 30),
    (45, 54, 18),
    (55, 64, 9),
)

LABOUR_MARKET_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("unemployed", 34),
    ("long_term_unemployed", 30),
    ("inactive", 24),
    ("in_education", 7),
    ("employed", 3),
    ("unknown", 2),
)

REFERRAL_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    Organisation.Kind.MUNICIPALITY: (
        ("labour_market_unit", 30),
        ("pes", 20),
        ("adult_education", 20),
        ("social_services", 12),
        ("reception_unit", 10),
        ("self", 5),
        ("other", 3),
    ),
    Organisation.Kind.FOLK_HIGH_SCHOOL: (
        ("pes", 35),
        ("adult_education", 20),
        ("labour_market_unit", 15),
        ("self", 20),
        ("civil_society", 5),
        ("other", 5),
    ),
    Organisation.Kind.STUDY_ASSOCIATION: (
        ("civil_society", 30),
        ("self", 25),
        ("reception_unit", 15),
        ("adult_education", 15),
        ("health_care", 10),
        ("other", 5),
    ),
}

CHECK_METHODS: tuple[tuple[str, float], ...] = (
    ("residence_permit_card", 78),
    ("migration_agency_decision", 8),
    ("passport", 6),
    ("population_register", 4),
    ("lma_card", 2),
    ("other", 2),
)
