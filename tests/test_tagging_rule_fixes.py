"""Rule classes found in the batches of rounds 10-13, in sentences of our own: the rules alone
(no model) must tag each one as given. Each was tagged otherwise before its round, so each can
fail (docs/TAGGING.md, rounds 10-13). Split from tests/test_tagging_quality.py, which pins the
labelled sets' floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.tagging.tagger import load_tagger

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("أصدرت بكين توجيهات بأن تتخلى مراكز البيانات الحكومية عن المعالجات الأجنبية التي اشترتها.", ["export_controls"]),
    ("تخلت الشركة عن خطتها لبناء مصنع جديد للأسمدة.", []),
    ("تراجعت أسهم الشركة بنسبة 5.6% بعد أن أمرت الحكومة الوزارات بالتخلص التدريجي من كاميرات المراقبة صينية الصنع.",
     ["market_impact"]),
    ("تراجعت أسهم الشركة بنسبة 5.6% بعد إعلان نتائجها الفصلية.", []),
    # from the third batch: a formal notice with a period to comply is a regulator's order; event
    # fees are not the cost of AI; and two guards against its first draft, which vetoed a ban of
    # "recreational" apps over security and read "power using" as power use
    ("وجهت السلطة الوطنية لحماية المعطيات ذات الطابع الشخصي إعذاراً لمنصة تعليمية تعمل بالذكاء الاصطناعي، "
     "تطالبها بالتصريح بمعالجة بيانات التلاميذ في أجل ثمانية أيام.", ["privacy_bans"]),
    ("وتتراوح رسوم حضور القمة، التي يشارك فيها مسؤولون من «أوبن إيه آي»، بين 1,200 و4,500 ريال قطري.", []),
    ("وحظرت فرنسا استخدام تطبيقات التواصل الترفيهية مثل «تيك توك» على هواتف الموظفين الحكوميين لأسباب أمنية.",
     ["privacy_bans"]),
    ("DeepSeek said its V3 model was trained at a cost of under $6 million in computing power using Nvidia's H800 chips.",
     ["pricing"]),
    # from the fourth batch: customs codes are not AI tokens (a mask: no "price per token" here);
    # a block over sexual images is for another reason
    ("كشفت هيئه الجمارك الكورية الجنوبية عن شبكة قالت إنها صدّرت لوحات معالجة مزوّدة بذاكرة عالية النطاق (HBM) "
     "بقيمة 31 مليار وون إلى الصين عبر فيتنام، مستخدمة رموزاً جمركية تصفها بأنها \"قطع غيار حواسيب\".", ["export_controls"]),
    ("أعلنت الوزارة حجب الوصول مؤقتاً إلى روبوت الدردشة بعد انتشار صور مُعدّلة ذات طابع جنسي أُنتجت بواسطته.", []),
])
def test_round10_rule_fixes_from_the_train_half(text: str, expected: list[str]) -> None:
    """Classes from round 10's batches (the positives were missed by earlier rules): buyers told to
    give up foreign chips are China's purchase curbs; a share move after a government drops
    connected devices is tied to tech. Giving up a fertiliser plant, or a share move after results
    with no tech in the passage, stays untagged."""
    rules = load_tagger(ROOT / "config", model=False)
    assert [t.topic for t in rules.tag("x", text).topics] == expected


# Classes from round 10's fifth batch and round 11's batch (tests/data/passages_r11.jsonl and
# passages_r12.jsonl), every one tagged otherwise before round 11
ROUND11_FIXES = [
    # "not considering" is a stated absence of the action, like "no plans to"
    ("وأكد الوزير أن الحكومة «لا تدرس أي إجراء لتقييد التطبيق» الصيني رغم المخاوف الأمنية.", []),
    # the "use" in dual-use is not a use of an app (a mask), nor "stocked up" a stock
    ("وقالت الوزارة إن القيود الجديدة تهدف إلى منع تحويل التقنيات ذات الاستخدام المزدوج إلى أغراض عسكرية.", []),
    ("Taiwan's export orders jumped 20% in May as customers in the United States stocked up on AI servers.", []),
    # the hour of a rented GPU is a price per hour
    ("وتراجع سعر ساعة المعالج H100 لدى المزودين الإقليميين من 3.5 دولار إلى نحو 2.5 دولار.", ["pricing"]),
    # a funding round is not the cost of training, a ransom not a price, a business reason not privacy
    ("Moonshot AI has raised $1 billion in a new round that values the company at $4 billion, money it will "
     "spend on training its models.", []),
    ("طالب المهاجمون بفدية قدرها مليونا دولار لإعادة تشغيل أنظمة الشركة التي تعتمد على الذكاء الاصطناعي.", []),
    ("The developer of an AI chatbot app said it would stop offering the service in the region and remove it "
     "from app stores for business reasons.", []),
    # Germany's export-control office is a trade authority; staff told not to upload files to AI tools
    ("أبلغ المكتب الاتحادي للاقتصاد ومراقبة الصادرات «بافا» الشركة بأن شحنات معداتها إلى الصين باتت تحتاج إلى ترخيص.",
     ["export_controls"]),
    ("طلبت إدارة الشركة من موظفيها عدم رفع ملفات العملاء إلى أدوات الذكاء الاصطناعي المتاحة للعموم.", ["privacy_bans"]),
]

# from round 11's second batch and round 12's (passages_r13.jsonl, passages_r14.jsonl): before round 12
ROUND12_FIXES = [
    # potato chips are not chips (a mask)
    ("ارتفع سهم الشركة المصنعة لرقائق البطاطس 5% في البورصة بعد إعلان توسعة مصنعها.", []),
    # "since listing" dates a share move, it is not a listing deal (a mask on vc)
    ("Shares of the company slid 7% in Riyadh, their steepest one-day drop since listing, after the cybersecurity "
     "authority told government agencies to suspend use of its AI platform.", ["privacy_bans", "market_impact"]),
    # a denied ban is no ban; wages and a diploma's fees are not the cost of AI
    ("ونفت الوزارة وجود أي حظر على استخدام التطبيق على الأجهزة الحكومية.", []),
    ("والمتخصصون في ضبط النماذج اللغوية هم الأعلى كلفة على أصحاب العمل، إذ ارتفعت أجورهم 35% خلال عام.", []),
    ("ويرى منتقدون أن رسوم الدبلومة في الذكاء الاصطناعي تقصي طلاب المحافظات، مقارنة بالبرامج الحكومية.", []),
    # text to speech is an AI service, priced per thousand characters
    ("وبات تحويل النص إلى صوت يكلف 15 سنتاً لكل ألف حرف بعد أن كان 25 سنتاً.", ["pricing"]),
    # an app removed for fraud, or to protect small shops, is banned for another reason
    ("طلبت الهيئة من متاجر التطبيقات إزالة تطبيق احتيالي يعد المستخدمين بأرباح يومية من تداول الذكاء الاصطناعي.", []),
    ("طلبت الوزارة من متاجر التطبيقات إزالة تطبيق التسوق الصيني لحماية المشاريع الصغيرة في البلاد.", []),
    # a court's practice direction: filings must not be uploaded to public AI tools
    ("The court issued a practice direction telling lawyers that confidential filings must not be uploaded to "
     "public AI chatbots.", ["privacy_bans"]),
    # a round of price cuts is not a funding round; "even if many doubt it" is not a hypothetical price
    ("أعلنت علي بابا كلاود جولة جديدة من خفض أسعار نماذجها اللغوية بنسبة 50%.", ["pricing"]),
    ("وقالت الشركة إنها أنفقت 5 ملايين دولار على تدريب نموذجها، وهو جزء ضئيل مما تنفقه OpenAI، حتى لو شكك "
     "كثيرون في الرقم.", ["pricing"]),
    # the AI Index is a report, not a market index
    ("وبحسب مؤشر الذكاء الاصطناعي، قفزت تكلفة تدريب النماذج الكبرى إلى 190 مليون دولار.", ["pricing"]),
    # a national data-protection authority suspends a policy; an army withdraws Chinese cars over data
    ("أصدرت الهيئة الوطنية لحماية البيانات قراراً يعلق العمل بسياسة الشركة لاستخدام البيانات الشخصية في تدريب "
     "الذكاء الاصطناعي.", ["privacy_bans"]),
    ("قرر الجيش سحب السيارات الصينية من الضباط بعد تقييم أمني حذر من نقل بيانات عن تحركاتهم.", ["privacy_bans"]),
    # a columnist who stopped using chatbots restricts no one; a data law in force acts on no app
    ("أعترف أنني توقفت عن استخدام روبوتات الدردشة على هاتفي منذ أشهر.", []),
    ("انتهت المهلة التي منحتها الهيئة للجهات الخاضعة لنظام حماية البيانات الشخصية لتوفيق أوضاع تطبيقاتها، "
     "ليدخل النظام حيز التطبيق الكامل.", []),
]

# from round 13's batch (passages_r15.jsonl): before round 13
ROUND13_FIXES = [
    # "without the option to remove it" complains about a feature; "stop assuming" is not "stop using"
    ("وتأتي الخطوة بعد انتقادات لظهور زر ميتا AI داخل التطبيق دون إمكانية إزالته.", []),
    ("دعا الكاتب الجهات الحكومية إلى التوقف عن الافتراض بأن النماذج الأمريكية هي الخيار الوحيد.", []),
    # a reader who deletes an app because nobody asked him to restricts no one
    ("قررت أن أحذف تطبيق المساعد الذكي الصيني من هاتفي، لا لأن أحدا طلب مني ذلك.", []),
    # a chatbot's posts blocked for insults: a ban for another reason (anywhere in the passage)
    ("قضت محكمة بحجب الوصول إلى منشورات أنتجها روبوت الدردشة بعدما تضمنت إساءات للرئيس.", []),
    # smart glasses are a product whose use an employer restricts
    ("منعت الوزارة موظفيها من ارتداء النظارات الذكية المزودة بكاميرات داخل قاعات الاجتماعات لأسباب أمنية.",
     ["privacy_bans"]),
    # a phone's coupon and an AI PC's shop price are not the cost of AI
    ("تبيع المتاجر هاتف جالاكسي AI بسعر يبدأ من 3899 ريالا. وتقدم بعض المنصات كوبون خصم بقيمة 300 ريال لمن "
     "يستخدم رمزا ترويجيا.", []),
    ("كما ارتفعت أسعار الحواسب المحمولة المصنفة حواسب ذكاء اصطناعي المزودة بمعالجات عصبية، لتبدأ من 5500 درهم.", []),
]


# from round 14's batch (passages_r16.jsonl): before round 15
ROUND15_FIXES = [
    # restrictions other than Washington's: China's purchase guidance and approvals, a
    # transit-country prosecution; AI accelerators are chips
    ("China told its state telecom operators to stop ordering foreign AI accelerators for new data centres.",
     ["export_controls"]),
    ("Court papers said the servers held accelerators that cannot be sold to China without a US licence.",
     ["export_controls"]),
    ("قالت بكين إن شركات الرقائق المحلية ستحتاج إلى موافقة قبل شراء معدات التغليف المتقدمة الأجنبية.",
     ["export_controls"]),
    ("Two traders were charged with falsifying end-user declarations for chips later shipped to Chinese buyers.",
     ["export_controls"]),
    # diverted production capacity is supply; listing rules regulate listings; a leak of sensitive
    # technology is an export-control rationale, not a privacy reason
    ("Retailers blame tight memory supply as chipmakers divert production capacity to AI accelerators.", []),
    ("وتصطف شركات رقائق صينية للطرح العام في وقت خففت فيه هيئة السوق قواعد الإدراج للشركات غير الرابحة.", []),
    ("ولم يعد بإمكان الموردين شحن المعدات والتقنيات إلى هذه الشركات قبل الحصول على موافقة مسبقة، بهدف منع "
     "تسرب التقنيات الحساسة.", ["export_controls"]),
    # talent pay packages are not the cost of AI (ruling 4)
    ("Packages at one lab now exceed $12 million over four years for engineers with frontier-training "
     "experience, and a rival matches them with equity-heavy deals.", []),
    # a chatbot (روبوتات المحادثة) is an app whose use a ministry stops, pupils' data the reason
    ("قررت وزارة التعليم وقف استخدام المعلمين لروبوتات المحادثة المجانية في إعداد التقارير التي تتضمن بيانات "
     "الطلبة.", ["privacy_bans"]),
]


# from round 15's batch (passages_r17.jsonl), after its figure was pinned: before round 16
ROUND16_FIXES = [
    # accelerator cards are chips; prior government approval, approval before deploying abroad,
    # and a chip's tracking or remote stop asked about by a regulator are export controls
    ("Chinese customs have stepped up checks on incoming shipments of accelerator cards.", ["export_controls"]),
    ("وسيحتاج أي بيع لتقنيات ذاكرة النطاق الترددي العالي أو نقلها إلى الخارج إلى موافقة حكومية مسبقة.",
     ["export_controls"]),
    ("The draft would require chipmakers to obtain approval before deploying their most advanced process "
     "technology at overseas fabs.", ["export_controls"]),
    ("طلبت الهيئة من شركة الرقائق الأمريكية توضيح ما إذا كانت بطاقاتها تتضمن وظائف للتتبع الجغرافي أو الإيقاف "
     "عن بعد.", ["export_controls"]),
    # a price war as "a race to the bottom"; a training cost as a multiple ("double what we planned")
    ("ووصف محلل المنافسة بين مزودي نماذج الذكاء الاصطناعي بأنها سباق إلى القاع، مع خصم أكبر على رسوم الاستخدام "
     "بعد كل إصدار.", ["pricing"]),
    ("وقال مؤسس الشركة الناشئة إن تدريب نموذجه الأخير كلفه ضعف ما خطط له.", ["pricing"]),
    # removals over copyright are bans for another reason; a parliament passing a general data law
    # is no regulator's order; "the larger part of it" is no fraction of a cost
    ("ورأت الهيئة أن تدريب النموذج على التسجيلات الأصلية دون ترخيص يمثل تعدياً على الحقوق المجاورة، وأمهلت "
     "المنصة عشرة أيام لإزالة المقاطع المولدة من متاجر التطبيقات.", []),
    ("وصوت مجلس النواب على قانون حماية البيانات الشخصية الذي يلزم الجهات العامة والخاصة بالحصول على موافقة "
     "صريحة قبل جمع البيانات، وينشئ هيئة للإشراف على تطبيقه.", []),
    ("وتعتزم الشركة رفع إنفاقها الرأسمالي إلى 160 مليار يوان، يذهب الجزء الأكبر منه إلى مراكز البيانات وخوادم "
     "الحوسبة.", []),
]


# from round 16's batch (passages_r18.jsonl), after its figure was pinned: before round 17
ROUND17_FIXES = [
    # "declined to say" is no decline; AI firms' demand raising a price is not the cost of AI
    ("The startup declined to say how much it spent on training its latest AI model.", []),
    ("وعزا الموزعون ارتفاع الأسعار إلى الطلب المتزايد من شركات الذكاء الاصطناعي على الذاكرة.", []),
    # a data-protection officer is a job, not a privacy reason; a block for indecent content,
    # the reason given in the next sentence, is a ban for another reason (ruling 12)
    ("فرضت اللجنة النيجيرية لحماية البيانات غرامة على أحد البنوك بعد تسريب بيانات عملائه. وقالت اللجنة إنها "
     "أمرت البنك بتعيين مسؤول لحماية البيانات خلال 30 يوما.", []),
    ("حجبت هيئة الإعلام تطبيقا لتوليد الصور بالذكاء الاصطناعي وطلبت إزالته من متاجر التطبيقات. وقالت إن "
     "التطبيق ينشر مواد خادشة للحياء.", []),
    # case-by-case approval for deposition equipment, and checks that chips were not moved to
    # China, are export controls
    ("Seoul will require case-by-case approval for exports of deposition equipment to Chinese fabs.",
     ["export_controls"]),
    ("وتريد السلطات التأكد من أن الرقائق لم تنقل إلى شركات داخل الصين.", ["export_controls"]),
    # "Shenzhen-listed" names a traded share; Naver is a tech company, Upstage an AI lab
    ("Shenzhen-listed chip designers fell 6% on Monday.", ["market_impact"]),
    ("ارتفع سهم نيفر 3% في بورصة سيول.", ["market_impact"]),
    ("Upstage charges 20 won per message for its customer-service agent.", ["pricing"]),
]


# from round 17's batch (passages_r19.jsonl), after its figure was pinned: before round 18
ROUND18_FIXES = [
    # advanced chips redirected to unlicensed buyers, China unnamed; "no new orders" for foreign
    # chips; backdoors as منافذ خلفية
    ("وتحقق السلطات في تقارير عن إعادة توجيه معالجات متقدمة إلى جهات غير مرخصة.", ["export_controls"]),
    ("وطلبت الجهات التنظيمية في بكين من شركات الإنترنت عدم تقديم طلبيات جديدة لشراء الرقائق الأجنبية.",
     ["export_controls"]),
    ("وقال المسؤولون إن هذه الرقائق قد تحتوي على منافذ خلفية، وطالبوا الشركات بالتوقف عن شرائها.",
     ["export_controls"]),
    # doctors are staff an instruction binds, medical reports what is at risk; a company pulling its
    # own app for commercial reasons is another reason (ruling 12)
    ("وأصدرت الوزارة تعليمات للأطباء بعدم رفع التقارير الطبية على تطبيقات الدردشة الذكية.", ["privacy_bans"]),
    ("The startup will pull its chatbot app from app stores in Europe, calling it a commercial decision.", []),
    # a price per user a year, chatbots (روبوتات المحادثة) the AI priced; "no change to speak of" is a move
    ("وتبلغ تكلفة النسخة المؤسسية من روبوتات المحادثة 120 درهما للمستخدم سنويا.", ["pricing"]),
    ("وأنهى سهم إنفيديا تعاملاته دون تغير يذكر.", ["market_impact"]),
]


# from round 18's batch (passages_r20.jsonl), after its figure was pinned: before round 19
ROUND19_FIXES = [
    # extremism and record labels' claims are other reasons; security agencies are who acted, not why
    ("حجبت الهيئة قنوات على تطبيق تيليغرام تبث خطابا متطرفا بالتنسيق مع الجهات الأمنية. وقالت إن بعضها "
     "استخدم أدوات الذكاء الاصطناعي.", []),
    ("The court ordered internet providers to block access to an AI song generator after record labels said "
     "it copied their catalogues.", []),
    # access closed in Egyptian wording (تقفل الوصول) or disabled (عطّلت الوصول, no outage);
    # "will not be allowed from today" on ministry devices
    ("وطلب الجهاز من شركات المحمول أن تقفل الوصول لتطبيق الذكاء الاصطناعي لأنه يرسل بيانات المستخدمين إلى "
     "خوادم خارج البلاد.", ["privacy_bans"]),
    ("وقالت المصادر إن المديرية عطلت الوصول إلى المساعد الذكي عبر الشبكة الداخلية للمجلس.", ["privacy_bans"]),
    ("وبحسب المنشور، لن يسمح بعد اليوم باستخدام النسخة المجانية من المساعد على أجهزة الوزارة.", ["privacy_bans"]),
    # a misleading end destination for chip servers; a granted export approval; aircraft parts are other goods
    ("وأدين رجل الأعمال بتقديم بيانات مضللة بشأن الوجهة النهائية لخوادم تحتوي على رقائق متطورة.",
     ["export_controls"]),
    ("وتلقت الشركة موافقة السلطات الأمريكية على تصدير وحدات معالجة الرسوميات المتقدمة.", ["export_controls"]),
    ("The Commerce Department fined a trader for re-exporting aircraft parts to Russia in violation of "
     "sanctions.", []),
    # a price per licence in a Maghrebi tender (صفقة is no venture deal); a per-minute price set
    # against a human's salary; "any possible cut" is hypothetical
    ("وحدد دفتر تحملات صفقة أطلقتها الوزارة ثمن 2350 درهما للترخيص الواحد سنويا لمساعد ذكاء اصطناعي توليدي.",
     ["pricing"]),
    ("It pays about $0.07 a minute for an AI voice agent, against $0.40 for a human once salaries are counted.",
     ["pricing"]),
    ("ويقلل خبراء من أثر أي تخفيض محتمل في أسعار أدوات الذكاء الاصطناعي.", []),
]


# from round 19's batch (passages_r21.jsonl), after its figure was pinned: before round 20
ROUND20_FIXES = [
    # copyright, exam cheating (and its leaked papers) in another sentence are other reasons; an
    # order to notify the people affected by a leak is a remedy, not a restriction
    ("قضت المحكمة بإلزام منصة لتوليد الموسيقى بالذكاء الاصطناعي بوقف استخدام أعمال شركة إنتاج في تدريب نماذجها "
     "وحذف النسخ المخزنة. واستندت المحكمة إلى قانون حقوق المؤلف.", []),
    ("قررت السلطات حجب تطبيقات الذكاء الاصطناعي وشبكات التواصل طيلة أيام الامتحان في إطار مكافحة الغش. ويمنع "
     "المترشحون من إدخال الهواتف واستخدام التطبيقات داخل القاعات.", []),
    ("فرضت الهيئة غرامة على منصة للتجارة الإلكترونية بعد تسرب بيانات عملائها. وألزمت الهيئة المنصة بإخطار "
     "المتضررين وتعزيز ضوابط الحماية خلال 30 يوما.", []),
    # an app that "has to come off every government-issued phone"
    ("The app has to come off every government-issued phone within ten working days, officials said, citing "
     "data security.", ["privacy_bans"]),
    # graphite anodes are battery material; حضر, the common misspelling of حظر, in "tightening the ban"
    ("قالت وزارة التجارة الصينية إن صادرات مواد الأنود المصنوعة من الجرافيت ستحتاج إلى ترخيص تصدير.", []),
    ("قفز سعر الخادم المزود ببطاقات المعالجة الرسومية بعد تشديد الحضر الأمريكي.", ["export_controls"]),
    # an AI phone agent is no phone; "symbolic prices" (بأسعار رمزية) are no AI tokens
    ("A start-up said it would charge 4 cents a minute for its AI phone agents.", ["pricing"]),
    ("وتمنح الحكومة المصنع أراضي بأسعار رمزية ضمن حزمة حوافز لصناعة رقائق الذكاء الاصطناعي.", []),
]


# from round 20's batch (passages_r22.jsonl), after its figure was pinned: before round 21
ROUND21_FIXES = [
    # a licensing agreement between companies is a deal, not a government licence
    ("وقعت الشركة الأمريكية اتفاق ترخيص مع مصنع تايواني لنقل تقنية تصنيع الرقائق إليه.", []),
    # a technology transfer restricted is trade in chip technology
    ("وتخشى الحكومة أن يفتح الاستحواذ الباب أمام الالتفاف على القيود المفروضة على نقل التكنولوجيا إلى جهات صينية.",
     ["export_controls"]),
    # a conference call is no phone: the cut in model-training rental prices is a price
    ("وقال الرئيس التنفيذي في مؤتمر هاتفي إن الشركة خفضت أسعار استئجار قدرات تدريب النماذج 30%.", ["pricing"]),
    # Ernie is a model (an AI entity), so a cut in its API's price is an AI price
    ("خفضت بايدو أسعار واجهة Ernie البرمجية بنسبة 60% للشركات الناشئة.", ["pricing"]),
    # "what developers pay" cut, and a "race to zero" on tokens
    ("أعلنت الشركة تقليص ما يدفعه المطورون مقابل استخدام نماذجها.", ["pricing"]),
    # a security that did not move is a reaction (ruling 5), in a tech passage
    ("أطلقت الشركة خدمة المساعد الذكي الجديدة. ولم يتأثر سهم الشركة في البورصة وأغلق مستقرا.",
     ["market_impact"]),
    # remote tracking is a backdoor rationale: foreign accelerators discouraged over it (ruling 10)
    ("وقال مهندس إن التوجيه استند إلى إمكانية التتبع عن بعد في الرقائق المستوردة وثغرات أمنية فيها، "
     "وطلب من الفرق الاستغناء عنها.", ["export_controls", "privacy_bans"]),
    # Egyptian passive of a ban verb, with the data stored abroad as the reason
    ("الدكتور قال لنا إن الأداة اتقفلت عشان البيانات بتتخزن بره مصر.", ["privacy_bans"]),
]

# from round 21's batch (passages_r23.jsonl), after its figure was pinned: before round 22
ROUND22_FIXES = [
    # US authorisations to import accelerators, issued by the export agency, are a licence
    ("The company said it had received the U.S. authorisations it needed to import 20,000 advanced chips.",
     ["export_controls"]),
    # foreign server processors to be dropped, the remote-access rationale in the next sentence (ruling 10)
    ("وجهت السلطات في بكين الشركات الحكومية بالتوقف عن شراء المعالجات الأجنبية. وقالت إن الخطوة تستند إلى ثغرات "
     "قد تسمح بالوصول عن بعد إلى البيانات.", ["export_controls", "privacy_bans"]),
    # a chatbot's posts blocked as insulting, an assistant's pre-installation stopped by a competition
    # authority: other reasons (ruling 12)
    ("قررت المحكمة حجب منشورات أنتجها روبوت المحادثة Grok بعد أن تضمنت عبارات مسيئة للرئيس. "
     "ولوحت جهات رسمية بحجب الخدمة كليا إذا تكررت المخالفات.", []),
    ("ألزم جهاز حماية المنافسة الشركة بالتوقف عن فرض التثبيت المسبق لمساعدها الذكي على الهواتف، "
     "ومنع المصنعين من اختيار مساعدات منافسة.", []),
    # a question put to an official is no instruction; "no policy restricting" is no ban
    ("Asked whether his staff use Chinese chatbots, the bank's CIO told the panel he would not put anything "
     "sensitive into them, citing uncertainty over where prompts are stored.", []),
    # foreign buying in an index a rate cut lifted is no tech market move (ruling 6)
    ("قفز المؤشر بعد أن خفض البنك المركزي أسعار الفائدة. وقاد الصعود سهم البنك، فيما ضخ المستثمرون الأجانب "
     "صافي مشتريات بقيمة مليار جنيه.", []),
]

# from round 22's batch (passages_r24.jsonl), after its figure was pinned: before round 23
ROUND23_FIXES = [
    # foreign chips to be replaced or removed (China's purchase curbs, ruling 7)
    ("وأمهلت السلطات الصينية شركات الاتصالات حتى 2027 لاستبدال المعالجات الأجنبية في شبكاتها.", ["export_controls"]),
    # prior approval for each purchase of chips
    ("وقالت المصادر إن أي صفقة لشراء معالجات أمريكية ستحتاج موافقة مسبقة من الجهات الصينية.", ["export_controls"]),
    # chip tools put on a dual-use list; a licence now needed to ship them, chips named in the passage
    ("أضافت المفوضية معدات تصنيع أشباه الموصلات إلى قائمة السلع ذات الاستخدام المزدوج.", ["export_controls"]),
    ("تحدث التقرير عن معدات تصنيع الرقائق. وسيحتاج المصدرون إلى ترخيص وطني لشحن هذه المعدات خارج الاتحاد.",
     ["export_controls"]),
    # memory contract prices and a discount coupon are not the cost of AI (ruling 4)
    ("فالطلب على شرائح الذاكرة من شركات الذكاء الاصطناعي رفع الأسعار التعاقدية.", []),
    ("ويمنح المساعد الذكي في التطبيق كل مستخدم قسيمة خصم بنسبة 25% على أول طلب.", []),
    # sites blocked for operating without a licence: another reason (ruling 12)
    ("حجبت الهيئة 14 تطبيقا للتداول بالذكاء الاصطناعي تبين أنها تمارس أعمال الأوراق المالية دون ترخيص.", []),
    # a stock that "did not move" is a reaction (ruling 5); a GPU hour's rental price with its figure
    ("خفضت الشركة أسعار أداة توليد الفيديو بالذكاء الاصطناعي. غير أن السهم لم يتحرك تقريبا في تعاملات هونغ كونغ.",
     ["pricing", "market_impact"]),
    ("وذكر التقرير أن سعر تأجير ساعة المعالج «إتش 200» من إنفيديا تراجع في السوق الفورية للسحابة إلى ما دون ثلاثة دولارات.",
     ["pricing"]),
]

# from round 23's batch (passages_r25.jsonl), after its figure was pinned: before round 24
ROUND24_FIXES = [
    # حضر (the common misspelling of حظر) after a preposition: "a memo ordering a ban on installing"
    ("أصدرت الإدارة مذكرة تقضي بحضر تثبيت إضافات المتصفح التي تعتمد على الذكاء الاصطناعي على أجهزة الشركة.",
     ["privacy_bans"]),
    # an automatic minute-taking assistant is AI, so a ban on it over personal data is a privacy ban
    ("أضاف أحد الأعضاء مساعدا آليا لتدوين المحاضر. وقرر المجلس منع هذه المساعدات وحذفها من حواسيب الموظفين "
     "حماية للمعطيات الشخصية.", ["privacy_bans"]),
    # a national ceiling on computing power for chip shipments
    ("Under the rule, shipments of AI processors to the country would count against a national ceiling on "
     "computing power.", ["export_controls"]),
    # a plan's monthly price, AI named in another sentence
    ("لم يتغير السعر، 15 دولارا في الشهر. لكن المطورين يقولون إن أداة البرمجة بالذكاء الاصطناعي صارت تمنحهم "
     "طلبات أقل.", ["pricing"]),
]

# from round 24's batch (passages_r26.jsonl), after its figure was pinned: before round 25
ROUND25_FIXES = [
    # security conditions attached to an export permit are no ban on use
    ("منحت الوزارة موافقتها على تصدير رقائق إنفيديا إلى مجموعة G42. وأوضح البيان أن التصاريح مشروطة بمتطلبات "
     "أمنية صارمة تشمل منع أي وصول غير مصرح به إلى الخوادم.", []),
    # "may no longer" use a model's API, client data the reason
    ("Engineers may no longer send client data through the Chinese model's API, the memo says.", ["privacy_bans"]),
    # an injunction over protected works and a collecting society: another reason (ruling 12)
    ("A court barred the AI song generator from serving protected works, in a case brought by a collecting "
     "society.", []),
    # a monthly salary, laptops' retail prices: not the cost of AI (ruling 4)
    ("يتراوح الراتب الشهري لمهندس الذكاء الاصطناعي بين 35 و55 ألف ريال شهريا.", []),
    ("وبدأت المتاجر بيع الحواسيب المحمولة المزودة بمعالجات مخصصة لتطبيقات الذكاء الاصطناعي، بأسعار تبدأ من "
     "3899 درهما.", []),
    # a training cost that "excludes salaries" is still a training cost
    ("The start-up said the model was trained for 30 million yuan, a figure which excludes salaries.", ["pricing"]),
    # two stocks (a dual verb) lost 20% since listing, in an AI passage
    ("وقال محلل إن سهمي الشركتين في الذكاء الاصطناعي فقدا أكثر من 20 في المئة منذ الإدراج.", ["market_impact"]),
    # a "smart scribe" is AI, so its monthly fee per doctor is an AI price
    ("وتدفع الهيئة 80 جنيها إسترلينيا شهريا عن كل طبيب مقابل أداة «كاتب ذكي» تدون الاستشارات.", ["pricing"]),
    # the price of processing a million tokens is no processor's price; capex set against it (ruling 3)
    ("ويقارن المحللون 400 مليار دولار تنفق على مراكز البيانات بالتراجع في سعر معالجة مليون رمز بأكثر من 90%.",
     ["pricing"]),
]

# from round 25's batch (passages_r27.jsonl), after its figure was pinned: before round 26
ROUND26_FIXES = [
    # customs figures report trade, they do not restrict it
    ("وارتفعت واردات الرقائق الإلكترونية بنسبة 12%، وفق أرقام الجمارك.", []),
    # a graphics processor (معالج رسومي) is no fee (رسوم): capex set against nothing
    ("أعلنت الشركة معالجها الرسومي الجديد لمراكز البيانات، وقالت إنه يسرع تدريب النماذج أربع مرات.", []),
    # a cyberspace regulator telling firms to stop buying foreign chips: a purchase curb, EC only (ruling 10)
    ("طلبت هيئة الفضاء الإلكتروني الصينية من شركات الذكاء الاصطناعي التوقف عن شراء رقائق إنفيديا وإلغاء "
     "طلبيات قائمة.", ["export_controls"]),
    # the affiliates rule suspended, rare earths in the same deal
    ("Washington suspended the affiliates rule for a year, while Beijing paused its export curbs on rare earths.",
     ["export_controls"]),
    # a price per licence of an AI assistant
    ("وحدد العطاء سقفا لا يتجاوز 20 دينارا للرخصة الواحدة لمساعد الذكاء الاصطناعي.", ["pricing"]),
    # GPU time priced by the hour
    ("وباتت الشركات السحابية تؤجر الساعة الواحدة على معالج H100 بأقل من دولارين.", ["pricing"]),
    # discount codes handed out by a shopping assistant (ruling 4)
    ("ويمنح المساعد الذكي في التطبيق المستخدمين أكواد خصم تصل إلى 20% على الأزياء.", []),
    # chatbots blocked against exam cheating, gambling apps banned by law: other reasons (ruling 12)
    ("قررت الوزارة حجب تطبيقات الدردشة الآلية. وقال مصدر إن الهدف منع أي محاولة للغش الإلكتروني عبر الشات بوت.", []),
    ("وقال مصدر أمني إن هذه التطبيقات تجر الشباب للقمار باسم الذكاء الاصطناعي، وإن الرهان الإلكتروني ممنوع.", []),
    # an app withdrawn for low uptake, its users' data deleted
    ("أوقفت الشركة تطبيق المساعد الصوتي وسحبته من متاجر التطبيقات بسبب ضعف الإقبال، وستحذف بيانات المستخدمين.", []),
    # turning off a setting is a user's privacy choice, not a ban
    ("ودعا الخبير مستخدمي تطبيقات الذكاء الاصطناعي إلى إيقاف خيار حفظ المحادثات حماية لبياناتهم الشخصية.", []),
    # a sell-off on a military escalation (ruling 6)
    ("ومع تصاعد المواجهة العسكرية، قال مدير استثمار إن عمليات بيع المستثمرين طالت الأسهم القيادية.", []),
]

# from round 26's batch (passages_r28.jsonl), after its figure was pinned: before round 27
ROUND27_FIXES = [
    # a free zone is no free tier
    ("Prosecutors said the men routed AI servers worth $160 million to buyers through a shell company in a "
     "Dubai free zone.", []),
    # "told to stop buying them" (a pronoun on the purchase): a purchase curb, no ban on use (ruling 10)
    ("شددت الجمارك الصينية التفتيش على شحنات الرقائق المستوردة. وتفحص الفرق الحاويات بحثا عن معالجات ذكاء "
     "اصطناعي أمريكية طلبت بكين من الشركات المحلية التوقف عن شرائها، وعن أي أجهزة مهربة.", ["export_controls"]),
    # access to an AI app stopped on a university's network, its data the reason
    ("قررت الجامعة إيقاف الوصول إلى تطبيق لتدوين المحاضرات بالذكاء الاصطناعي عبر شبكتها، لأنه يرفع التسجيلات "
     "إلى خوادم أجنبية دون موافقة.", ["privacy_bans"]),
    # a company's own app retired in a restructuring, its data deleted under its privacy policy (ruling 12)
    ("ستوقف الشركة تطبيق مساعدها الذكي وتسحبه من متاجر التطبيقات ضمن إعادة هيكلة خدماتها.", []),
    ("وأكدت الشركة أن بيانات مستخدمي المساعد الذكي ستحذف وفق سياسة الخصوصية المعمول بها.", []),
    # experts advising users to share nothing sensitive with chatbots: voluntary avoidance (ruling 12)
    ("ونصح الخبراء المستخدمين بعدم مشاركة أي بيانات حساسة مع تطبيقات الدردشة بالذكاء الاصطناعي.", []),
    # a conference ticket, a graphics card's street price: not the cost of AI (ruling 4)
    ("A cheaper expo-only ticket to the AI summit costs £149, while startups can apply for free places.", []),
    ("قفز سعر كارت الشاشة إلى 180 ألف جنيه وسط إقبال هواة تشغيل نماذج الذكاء الاصطناعي على أجهزتهم.", []),
    # AI as a forecasting tool, the growth put down to raising prices
    ("وقال إن الشركة تستعين بأدوات ذكاء اصطناعي في التنبؤ بالطلب، لكنه أرجع التحسن إلى رفع الأسعار.", []),
    # a share that "showed no reaction worth mentioning", further from the share than before (ruling 5)
    ("وقال البنك إن سهم الشركة الهولندية المصنعة لأجهزة الطباعة الضوئية للرقائق لم يظهر رد فعل يذكر على القرار.",
     ["market_impact"]),
]

# from round 27's batch (passages_r29.jsonl), after its figure was pinned: before round 28
ROUND28_FIXES = [
    # China's regulators want foreign processors removed from state-funded data centres: a purchase curb
    ("طلبت الجهات التنظيمية في الصين من مشغلي مراكز البيانات أن تزال المعالجات الأجنبية من المشاريع الجديدة.",
     ["export_controls"]),
    # foreign-made cars kept out of military camps over the data they collect (rulings 10-11)
    ("أبلغت القيادة العسكرية الضباط بعدم إدخال السيارات صينية الصنع إلى المعسكرات، خشية جمع بيانات عن المواقع.",
     ["privacy_bans"]),
    # no reaction in the parent's shares; a share (حصة) of its users further on is no revenue
    ("علقت الهيئة تنزيل تطبيق المساعد الذكي. ولم تتأثر أسهم الشركة الأم بالخبر، وقال محللون إن السوق الكورية "
     "لا تمثل سوى حصة هامشية من مستخدميها.", ["privacy_bans", "market_impact"]),
    # what a survey's respondents say they stopped using is voluntary avoidance (ruling 12)
    ("وفي استطلاع نشرته منصة إماراتية، قال 58% من المشاركين إن بعضهم توقف عن استخدام روبوتات الدردشة.", []),
]

# from the twenty-fifth batch (passages_r31.jsonl), after its figure was pinned: before round 29
ROUND29_FIXES = [
    # an index move led by a bank, the AI thread in another sentence: no tech move (ruling 6)
    ("ارتفع المؤشر العام 0.4% بدعم من سهم بنك محلي بعد توزيعات نقدية. وعلى صعيد آخر، منحت وزارة التجارة "
     "الأمريكية تراخيص لشحن معالجات متقدمة إلى مجمع بيانات للذكاء الاصطناعي.", ["export_controls"]),
    ("The index added 0.6% as Treasury yields climbed. Executives said investment in AI tools would continue.", []),
    # "stop any new orders for foreign AI processors", said on air in Egyptian Arabic (ruling 7)
    ("المراسل: المصادر بتقول إن السلطات طلبت من الشركات إنها توقف أي طلبيات جديدة لمعالجات الذكاء الاصطناعي "
     "الأجنبية. والهدف المعلن دعم الرقايق الصينية.", ["export_controls"]),
    # a block over disinformation is a ban for another reason (ruling 12)
    ("حجبت الهيئة تطبيقا لتوليد الفيديو بالذكاء الاصطناعي، وقالت إنه يستخدم على نطاق واسع لنشر التضليل.", []),
    # a survey's employees who avoid AI tools for privacy: voluntary avoidance (ruling 12)
    ("أظهر استطلاع أن 41% من الموظفين يتجنبون أدوات الذكاء الاصطناعي خوفا على خصوصية بياناتهم، فيما قال 18% "
     "إنهم حذفوا تطبيقا واحدا على الأقل من هواتفهم للسبب نفسه.", []),
    # users warned what not to type into free chatbots: security advice, no price (ruling 4)
    ("حذر المركز المستخدمين من إدخال كلمات المرور في برامج الدردشة المجانية المعتمدة على الذكاء الاصطناعي.", []),
]

@pytest.mark.parametrize(("text", "expected"),
                         [*ROUND11_FIXES, *ROUND12_FIXES, *ROUND13_FIXES, *ROUND15_FIXES, *ROUND16_FIXES,
                          *ROUND17_FIXES, *ROUND18_FIXES, *ROUND19_FIXES, *ROUND20_FIXES,
                          *ROUND21_FIXES, *ROUND22_FIXES, *ROUND23_FIXES,
                          *ROUND24_FIXES, *ROUND25_FIXES, *ROUND26_FIXES, *ROUND27_FIXES,
                          *ROUND28_FIXES, *ROUND29_FIXES])
def test_rule_fixes_of_rounds_11_to_29(text: str, expected: list[str]) -> None:
    """The rule classes of rounds 11-29 in sentences of our own (the rules alone, no model): each
    one was tagged otherwise before its round (docs/TAGGING.md, rounds 11-29)."""
    rules = load_tagger(ROOT / "config", model=False)
    assert [t.topic for t in rules.tag("x", text).topics] == expected
