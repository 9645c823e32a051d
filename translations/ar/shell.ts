<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Cannot do that</source>
        <translation>تعذّر تنفيذ ذلك</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>حدث خطأ</translation>
    </message>
    <message>
        <source>The app met a problem it did not expect. What you saved is safe. If it happens again, tell the station&apos;s IT officer; the details are in the log file {path} (it holds no record data).</source>
        <translation>واجه التطبيق مشكلة غير متوقعة. ما حفظته في أمان. إذا تكررت، أخبر مسؤول تقنية المعلومات في المركز؛ التفاصيل في ملف السجل {path} (لا يحتوي على أي بيانات من السجلات).</translation>
    </message>
    <message>
        <source>&amp;OK</source>
        <translation>&amp;موافق</translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <source>Welcome. This laptop has no vault yet.</source>
        <translation>أهلاً بك. لا توجد خزنة على هذا الحاسوب بعد.</translation>
    </message>
    <message>
        <source>&amp;Enroll with my station&apos;s server</source>
        <translation>&amp;تسجيل هذا الجهاز في خادم المركز</translation>
    </message>
    <message>
        <source>Only on &amp;this laptop for now (enroll later)</source>
        <translation>على &amp;هذا الحاسوب فقط حالياً، والتسجيل لاحقاً</translation>
    </message>
    <message>
        <source>What the station gave you</source>
        <translation>ما أعطاك إياه المركز</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>&amp;عنوان الخادم:</translation>
    </message>
    <message>
        <source>One-time &amp;code:</source>
        <translation>&amp;رمز التسجيل لمرة واحدة:</translation>
    </message>
    <message>
        <source>Server &amp;fingerprint:</source>
        <translation>&amp;بصمة الخادم:</translation>
    </message>
    <message>
        <source>Enroll with the station&apos;s server</source>
        <translation>التسجيل في خادم المركز</translation>
    </message>
    <message>
        <source>Only on this laptop</source>
        <translation>على هذا الحاسوب فقط</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>عنوان الخادم</translation>
    </message>
    <message>
        <source>One-time code</source>
        <translation>رمز التسجيل لمرة واحدة</translation>
    </message>
    <message>
        <source>Server fingerprint</source>
        <translation>بصمة الخادم</translation>
    </message>
    <message>
        <source>Create the vault</source>
        <translation>إنشاء الخزنة</translation>
    </message>
    <message>
        <source>Why the vault was not created</source>
        <translation>سبب عدم إنشاء الخزنة</translation>
    </message>
    <message>
        <source>C&amp;reate the vault</source>
        <translation>إ&amp;نشاء الخزنة</translation>
    </message>
    <message>
        <source>Enrolling with the station&apos;s server…</source>
        <translation>جارٍ تسجيل الجهاز في خادم المركز…</translation>
    </message>
    <message>
        <source>Making the vault…</source>
        <translation>جارٍ إنشاء الخزنة…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Community police field app</source>
        <translation>تطبيق الشرطة المجتمعية الميداني</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>الأسر</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>الأنشطة</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>سجل جديد</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>المزامنة</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>الأقسام</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;قفل</translation>
    </message>
    <message>
        <source>Lock the app</source>
        <translation>قفل التطبيق</translation>
    </message>
    <message>
        <source>Lock now (Ctrl+L)</source>
        <translation>اقفل الآن بالضغط على Ctrl+L</translation>
    </message>
    <message>
        <source>Current section</source>
        <translation>القسم الحالي</translation>
    </message>
    <message>
        <source>This part of the app is not ready yet.</source>
        <translation>هذا الجزء من التطبيق غير جاهز بعد.</translation>
    </message>
</context>
<context>
    <name>NewPasswordFields</name>
    <message>
        <source>New &amp;password:</source>
        <translation>كلمة المرور ال&amp;جديدة:</translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <translation>أ&amp;عد كتابتها:</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>كلمة المرور الجديدة</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>إعادة كتابة كلمة المرور الجديدة</translation>
    </message>
    <message>
        <source>Why the password cannot be used yet</source>
        <translation>سبب عدم قبول كلمة المرور بعد</translation>
    </message>
    <message>
        <source>a few words only you know</source>
        <translation>بضع كلمات لا يعرفها غيرك</translation>
    </message>
    <message>
        <source>The two passwords are not the same yet.</source>
        <translation>كلمتا المرور غير متطابقتين بعد.</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Community police field app</source>
        <translation>تطبيق الشرطة المجتمعية الميداني</translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>The vault is locked</source>
        <translation>الخزنة مقفلة</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;كلمة المرور:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;فتح</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>فتح الخزنة</translation>
    </message>
    <message>
        <source>Unlock message</source>
        <translation>رسالة فتح الخزنة</translation>
    </message>
    <message>
        <source>If you forgot your password</source>
        <translation>إذا نسيت كلمة المرور</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>جارٍ التحقق من كلمة المرور…</translation>
    </message>
    <message>
        <source>Forgot your password? Bring this laptop and your police ID card to your station. If the station set up recovery for this vault, its IT officer opens it with the station&apos;s key and you choose a new password: nothing is lost. Without that key nobody can open the vault, not even the station.</source>
        <translation>نسيت كلمة المرور؟ أحضر هذا الحاسوب وهويتك الشرطية إلى مركزك. إذا كان المركز قد أعدّ الاسترداد لهذه الخزنة، يفتحها مسؤول تقنية المعلومات بمفتاح المركز وتختار أنت كلمة مرور جديدة: لا يضيع شيء. من دون ذلك المفتاح لا يستطيع أحد فتح الخزنة، ولا حتى المركز.</translation>
    </message>
    <message>
        <source>This vault&apos;s station key begins with {key}.</source>
        <translation>مفتاح المركز لهذه الخزنة يبدأ بـ {key}.</translation>
    </message>
    <message>
        <source>This vault has no station recovery key yet.</source>
        <translation>لا يوجد مفتاح استرداد للمركز في هذه الخزنة بعد.</translation>
    </message>
</context>
</TS>
