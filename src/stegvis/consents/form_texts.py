"""The printed consent form's texts, in Swedish and in the participants' languages.

The form is a document in a given language, not UI, so it does not follow the UI language.
Texts other than Swedish and English were not written by native speakers: each language is
marked ``needs_review`` until one has checked it (docs/consent.md says how).
"""

from __future__ import annotations

from typing import TypedDict


class FormTexts(TypedDict):
    language_name: str
    dir: str
    needs_review: bool
    title: str
    intro: str
    organisations: str
    parts: str
    part_mapping: str
    part_plan: str
    part_checkins: str
    part_notes: str
    part_assessments: str
    part_sensitive: str
    takes_part_in_plan: str
    purpose: str
    valid: str
    voluntary: str
    withdraw: str
    log: str
    signature: str
    date: str
    name: str
    interpreter: str


TEXTS: dict[str, FormTexts] = {
    "sv": {
        "language_name": "Svenska",
        "dir": "ltr",
        "needs_review": False,
        "title": "Samtycke till att dela uppgifter",
        "intro": "Jag samtycker till att uppgifter om mig får delas mellan organisationerna "
        "nedan, så att de kan samarbeta kring mitt stöd.",
        "organisations": "Uppgifterna får delas med",
        "parts": "Dessa uppgifter får delas",
        "part_mapping": "Kartläggning (skola, språk, arbete, mål)",
        "part_plan": "Min plan",
        "part_checkins": "Gemensamma möten och vad vi kommit överens om",
        "part_notes": "Anteckningar",
        "part_assessments": "Mina självskattningar och språkresultat",
        "part_sensitive": "Känsliga uppgifter (hälsa, familj)",
        "takes_part_in_plan": "Organisationerna får också vara med och ändra i min plan.",
        "purpose": "Syfte",
        "valid": "Samtycket gäller från och med – till och med",
        "voluntary": "Det är frivilligt att samtycka. Du får samma stöd även om du säger nej.",
        "withdraw": "Du kan när som helst ta tillbaka ditt samtycke. Säg det till din kontaktperson. "
        "Då slutar delningen direkt.",
        "log": "Allt som andra läser om dig loggas. Du kan be att få se vem som har läst dina uppgifter.",
        "signature": "Underskrift",
        "date": "Datum",
        "name": "Namn",
        "interpreter": "Tolk har använts",
    },
    "en": {
        "language_name": "English",
        "dir": "ltr",
        "needs_review": False,
        "title": "Consent to share information",
        "intro": "I agree that information about me may be shared between the organisations "
        "below, so that they can work together to support me.",
        "organisations": "The information may be shared with",
        "parts": "This information may be shared",
        "part_mapping": "Mapping (school, languages, work, goals)",
        "part_plan": "My plan",
        "part_checkins": "Joint meetings and what we agreed",
        "part_notes": "Notes",
        "part_assessments": "My self-ratings and language results",
        "part_sensitive": "Sensitive information (health, family)",
        "takes_part_in_plan": "The organisations may also take part in changing my plan.",
        "purpose": "Purpose",
        "valid": "The consent is valid from – to",
        "voluntary": "Consenting is voluntary. You get the same support if you say no.",
        "withdraw": "You can take back your consent at any time. Tell your contact person. "
        "The sharing then stops at once.",
        "log": "Everything others read about you is logged. You can ask to see who has read "
        "your information.",
        "signature": "Signature",
        "date": "Date",
        "name": "Name",
        "interpreter": "An interpreter was used",
    },
    "ar": {
        "language_name": "العربية",
        "dir": "rtl",
        "needs_review": True,
        "title": "موافقة على مشاركة المعلومات",
        "intro": "أوافق على أن تتم مشاركة المعلومات الخاصة بي بين الجهات المذكورة أدناه، "
        "حتى تتمكن من التعاون في دعمي.",
        "organisations": "يجوز مشاركة المعلومات مع",
        "parts": "المعلومات التي يجوز مشاركتها",
        "part_mapping": "التقييم الأولي (المدرسة، اللغات، العمل، الأهداف)",
        "part_plan": "خطتي",
        "part_checkins": "الاجتماعات المشتركة وما اتفقنا عليه",
        "part_notes": "الملاحظات",
        "part_assessments": "تقييماتي الذاتية ونتائج اللغة",
        "part_sensitive": "معلومات حساسة (الصحة، العائلة)",
        "takes_part_in_plan": "يجوز للجهات أيضًا المشاركة في تعديل خطتي.",
        "purpose": "الغرض",
        "valid": "الموافقة سارية من – إلى",
        "voluntary": "الموافقة اختيارية. ستحصل على نفس الدعم حتى إذا قلت لا.",
        "withdraw": "يمكنك سحب موافقتك في أي وقت. أخبر الشخص المسؤول عنك. "
        "عندها تتوقف المشاركة فورًا.",
        "log": "يتم تسجيل كل ما يقرأه الآخرون عنك. يمكنك أن تطلب معرفة من قرأ معلوماتك.",
        "signature": "التوقيع",
        "date": "التاريخ",
        "name": "الاسم",
        "interpreter": "تمت الاستعانة بمترجم",
    },
    "fa": {
        "language_name": "فارسی",
        "dir": "rtl",
        "needs_review": True,
        "title": "رضایت برای به اشتراک گذاشتن اطلاعات",
        "intro": "من موافقم که اطلاعات مربوط به من بین سازمان‌های زیر به اشتراک گذاشته شود "
        "تا بتوانند برای حمایت از من با هم همکاری کنند.",
        "organisations": "اطلاعات را می‌توان با این سازمان‌ها به اشتراک گذاشت",
        "parts": "این اطلاعات را می‌توان به اشتراک گذاشت",
        "part_mapping": "ارزیابی اولیه (مدرسه، زبان‌ها، کار، اهداف)",
        "part_plan": "برنامه من",
        "part_checkins": "جلسات مشترک و آنچه توافق کردیم",
        "part_notes": "یادداشت‌ها",
        "part_assessments": "خودارزیابی‌ها و نتایج زبان من",
        "part_sensitive": "اطلاعات حساس (سلامت، خانواده)",
        "takes_part_in_plan": "سازمان‌ها همچنین می‌توانند در تغییر برنامه من شرکت کنند.",
        "purpose": "هدف",
        "valid": "این رضایت معتبر است از – تا",
        "voluntary": "دادن رضایت داوطلبانه است. اگر نه بگویید، همان حمایت را دریافت می‌کنید.",
        "withdraw": "شما می‌توانید هر زمان رضایت خود را پس بگیرید. به فرد رابط خود بگویید. "
        "در این صورت اشتراک‌گذاری فوراً متوقف می‌شود.",
        "log": "هر چیزی که دیگران درباره شما می‌خوانند ثبت می‌شود. می‌توانید بخواهید ببینید "
        "چه کسی اطلاعات شما را خوانده است.",
        "signature": "امضا",
        "date": "تاریخ",
        "name": "نام",
        "interpreter": "از مترجم استفاده شد",
    },
    "prs": {
        "language_name": "دری",
        "dir": "rtl",
        "needs_review": True,
        "title": "رضایت برای شریک ساختن معلومات",
        "intro": "من موافق هستم که معلومات مربوط به من میان ادارات زیر شریک ساخته شود "
        "تا بتوانند برای کمک به من با هم همکاری کنند.",
        "organisations": "معلومات را می‌توان با این ادارات شریک ساخت",
        "parts": "این معلومات را می‌توان شریک ساخت",
        "part_mapping": "ارزیابی ابتدایی (مکتب، زبان‌ها، کار، اهداف)",
        "part_plan": "پلان من",
        "part_checkins": "جلسات مشترک و آنچه موافقه کردیم",
        "part_notes": "یادداشت‌ها",
        "part_assessments": "خودارزیابی‌ها و نتایج زبان من",
        "part_sensitive": "معلومات حساس (صحت، فامیل)",
        "takes_part_in_plan": "ادارات همچنان می‌توانند در تغییر پلان من سهم بگیرند.",
        "purpose": "هدف",
        "valid": "این رضایت اعتبار دارد از – تا",
        "voluntary": "دادن رضایت اختیاری است. اگر نه بگویید، همان کمک را دریافت می‌کنید.",
        "withdraw": "شما هر وقت می‌توانید رضایت خود را پس بگیرید. به شخص تماس خود بگویید. "
        "در آن صورت شریک ساختن فوراً متوقف می‌شود.",
        "log": "هر چیزی که دیگران در باره شما می‌خوانند ثبت می‌شود. می‌توانید بخواهید ببینید "
        "چه کسی معلومات شما را خوانده است.",
        "signature": "امضا",
        "date": "تاریخ",
        "name": "نام",
        "interpreter": "از ترجمان استفاده شد",
    },
    "so": {
        "language_name": "Soomaali",
        "dir": "ltr",
        "needs_review": True,
        "title": "Oggolaansho in macluumaadka la wadaago",
        "intro": "Waxaan oggolahay in macluumaadka igu saabsan la wadaago hay'adaha hoose "
        "si ay iskaga kaashadaan taageeradayda.",
        "organisations": "Macluumaadka waxaa lala wadaagi karaa",
        "parts": "Macluumaadkan ayaa la wadaagi karaa",
        "part_mapping": "Qiimaynta bilowga (dugsiga, luqadaha, shaqada, yoolalka)",
        "part_plan": "Qorshahayga",
        "part_checkins": "Kulamada wadajirka ah iyo wixii aan isku raacnay",
        "part_notes": "Qoraallada",
        "part_assessments": "Is-qiimayntayda iyo natiijooyinka luqadda",
        "part_sensitive": "Macluumaad xasaasi ah (caafimaadka, qoyska)",
        "takes_part_in_plan": "Hay'aduhu sidoo kale waxay ka qayb qaadan karaan beddelidda qorshahayga.",
        "purpose": "Ujeeddada",
        "valid": "Oggolaanshuhu wuxuu ansax yahay laga bilaabo – ilaa",
        "voluntary": "Oggolaanshuhu waa ikhtiyaari. Waxaad helaysaa isla taageerada haddii aad diiddo.",
        "withdraw": "Waqti kasta waad ka noqon kartaa oggolaanshahaaga. U sheeg qofka kula xiriira. "
        "Markaas wadaagiddu isla markiiba way joogsanaysaa.",
        "log": "Wax kasta oo dadka kale kaa akhriyaan waa la diiwaangeliyaa. Waxaad weydiisan kartaa "
        "inaad ogaato cidda akhrisay macluumaadkaaga.",
        "signature": "Saxiix",
        "date": "Taariikh",
        "name": "Magac",
        "interpreter": "Turjubaan ayaa la isticmaalay",
    },
    "ti": {
        "language_name": "ትግርኛ",
        "dir": "ltr",
        "needs_review": True,
        "title": "ሓበሬታ ንምክፋል ፍቓድ",
        "intro": "ብዛዕባይ ዘሎ ሓበሬታ ኣብ መንጎ እዞም ኣብ ታሕቲ ዘለዉ ትካላት ክካፈል፡ ንደገፈይ ብሓባር ክሰርሑ ምእንቲ፡ ፍቓደኛ እየ።",
        "organisations": "ሓበሬታ ምስዞም ክካፈል ይኽእል",
        "parts": "እዚ ሓበሬታ ክካፈል ይኽእል",
        "part_mapping": "መጀመርታ ገምጋም (ትምህርቲ፡ ቋንቋታት፡ ስራሕ፡ ዕላማታት)",
        "part_plan": "ናተይ መደብ",
        "part_checkins": "ሓባራዊ ኣኼባታትን ዝተሰማማዕናሉን",
        "part_notes": "መዘኻኸሪታት",
        "part_assessments": "ናይ ባዕለይ ገምጋማትን ውጽኢት ቋንቋን",
        "part_sensitive": "ተኣፋፊ ሓበሬታ (ጥዕና፡ ስድራቤት)",
        "takes_part_in_plan": "ትካላት ኣብ ምቕያር መደበይ እውን ክሳተፉ ይኽእሉ።",
        "purpose": "ዕላማ",
        "valid": "እዚ ፍቓድ ዝሰርሓሉ ካብ – ክሳብ",
        "voluntary": "ፍቓድ ምሃብ ብድሌትካ እዩ። እንተ ኣበኻ እውን ተመሳሳሊ ደገፍ ክትረክብ ኢኻ።",
        "withdraw": "ኣብ ዝኾነ ግዜ ፍቓድካ ክትስሕብ ትኽእል ኢኻ። ንናትካ ተራኻቢ ሰብ ንገሮ። ሽዑ ምክፋል ብቕጽበት ይቋረጽ።",
        "log": "ካልኦት ብዛዕባኻ ዘንበብዎ ኩሉ ይምዝገብ። መን ሓበሬታኻ ከም ዘንበበ ክትሓትት ትኽእል ኢኻ።",
        "signature": "ፌርማ",
        "date": "ዕለት",
        "name": "ስም",
        "interpreter": "ተርጓሚ ተጠቒምና",
    },
}

PART_KEYS = {
    "mapping": "part_mapping",
    "plan": "part_plan",
    "checkins": "part_checkins",
    "notes": "part_notes",
    "assessments": "part_assessments",
    "sensitive": "part_sensitive",
}


def texts_for(language: str) -> FormTexts | None:
    return TEXTS.get(language)
