<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ku" sourcelanguage="en">
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Cannot do that</source>
        <translation>ناتوانرێت ئەوە بکرێت</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>هەڵەیەک ڕوویدا</translation>
    </message>
    <message>
        <source>The app met a problem it did not expect. What you saved is safe. If it happens again, tell the station&apos;s IT officer; the details are in the log file {path} (it holds no record data).</source>
        <translation>ئەپەکە تووشی کێشەیەکی چاوەڕواننەکراو بوو. ئەوەی پاشەکەوتت کردووە پارێزراوە. ئەگەر دووبارە بووەوە، بە بەرپرسی تەکنەلۆجیای زانیاری بنکەکە بڵێ؛ وردەکارییەکان لە فایلی تۆماری {path} دان (هیچ زانیارییەکی تۆمارەکانی تێدا نییە).</translation>
    </message>
    <message>
        <source>&amp;OK</source>
        <translation>&amp;باشە</translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <source>Welcome. This laptop has no vault yet.</source>
        <translation>بەخێربێیت. هێشتا هیچ قاسەیەک لەسەر ئەم لاپتۆپە نییە.</translation>
    </message>
    <message>
        <source>&amp;Enroll with my station&apos;s server</source>
        <translation>&amp;تۆمارکردن لە ڕاژەکاری بنکەکەم</translation>
    </message>
    <message>
        <source>Only on &amp;this laptop for now (enroll later)</source>
        <translation>تەنها لەسەر &amp;ئەم لاپتۆپە بۆ ئێستا، تۆمارکردن دواتر</translation>
    </message>
    <message>
        <source>What the station gave you</source>
        <translation>ئەوەی بنکەکە پێی داویت</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>&amp;ناونیشانی ڕاژەکار:</translation>
    </message>
    <message>
        <source>One-time &amp;code:</source>
        <translation>&amp;کۆدی یەکجاری:</translation>
    </message>
    <message>
        <source>Server &amp;fingerprint:</source>
        <translation>&amp;پەنجەمۆری ڕاژەکار:</translation>
    </message>
    <message>
        <source>Enroll with the station&apos;s server</source>
        <translation>تۆمارکردن لە ڕاژەکاری بنکە</translation>
    </message>
    <message>
        <source>Only on this laptop</source>
        <translation>تەنها لەسەر ئەم لاپتۆپە</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>ناونیشانی ڕاژەکار</translation>
    </message>
    <message>
        <source>One-time code</source>
        <translation>کۆدی یەکجاری</translation>
    </message>
    <message>
        <source>Server fingerprint</source>
        <translation>پەنجەمۆری ڕاژەکار</translation>
    </message>
    <message>
        <source>Create the vault</source>
        <translation>دروستکردنی قاسە</translation>
    </message>
    <message>
        <source>Why the vault was not created</source>
        <translation>بۆچی قاسەکە دروست نەکرا</translation>
    </message>
    <message>
        <source>C&amp;reate the vault</source>
        <translation>&amp;دروستکردنی قاسە</translation>
    </message>
    <message>
        <source>Enrolling with the station&apos;s server…</source>
        <translation>تۆمارکردن لە ڕاژەکاری بنکە…</translation>
    </message>
    <message>
        <source>Making the vault…</source>
        <translation>قاسەکە دروست دەکرێت…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Community police field app</source>
        <translation>ئەپی مەیدانیی پۆلیسی کۆمەڵگا</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>ئەمڕۆ</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>خێزانەکان</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>چالاکییەکان</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>تۆماری نوێ</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>هاوکاتکردن</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>ڕێکخستنەکان</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>بەشەکان</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;قفڵکردن</translation>
    </message>
    <message>
        <source>Lock the app</source>
        <translation>قفڵکردنی ئەپەکە</translation>
    </message>
    <message>
        <source>Lock now (Ctrl+L)</source>
        <translation>ئێستا قفڵی بکە بە Ctrl+L</translation>
    </message>
    <message>
        <source>Current section</source>
        <translation>بەشی ئێستا</translation>
    </message>
    <message>
        <source>This part of the app is not ready yet.</source>
        <translation>ئەم بەشەی ئەپەکە هێشتا ئامادە نییە.</translation>
    </message>
</context>
<context>
    <name>NewPasswordFields</name>
    <message>
        <source>New &amp;password:</source>
        <translation>وشەی نهێنیی &amp;نوێ:</translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <translation>&amp;دووبارە:</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>وشەی نهێنیی نوێ</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>دووبارەکردنەوەی وشەی نهێنیی نوێ</translation>
    </message>
    <message>
        <source>Why the password cannot be used yet</source>
        <translation>بۆچی هێشتا ئەم وشە نهێنییە بەکارنایەت</translation>
    </message>
    <message>
        <source>a few words only you know</source>
        <translation>چەند وشەیەک کە تەنها خۆت دەیانزانیت</translation>
    </message>
    <message>
        <source>The two passwords are not the same yet.</source>
        <translation>دوو وشە نهێنییەکە هێشتا وەک یەک نین.</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Community police field app</source>
        <translation>ئەپی مەیدانیی پۆلیسی کۆمەڵگا</translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>The vault is locked</source>
        <translation>قاسەکە داخراوە</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;وشەی نهێنی:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>وشەی نهێنی</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;کردنەوە</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>کردنەوەی قاسە</translation>
    </message>
    <message>
        <source>Unlock message</source>
        <translation>پەیامی کردنەوەی قاسە</translation>
    </message>
    <message>
        <source>If you forgot your password</source>
        <translation>ئەگەر وشەی نهێنییەکەت لەبیر کرد</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>وشەی نهێنی پشکنین دەکرێت…</translation>
    </message>
    <message>
        <source>Forgot your password? Bring this laptop and your police ID card to your station. If the station set up recovery for this vault, its IT officer opens it with the station&apos;s key and you choose a new password: nothing is lost. Without that key nobody can open the vault, not even the station.</source>
        <translation>وشەی نهێنییەکەت لەبیر چووە؟ ئەم لاپتۆپە و ناسنامەی پۆلیسییەکەت بهێنە بۆ بنکەکەت. ئەگەر بنکەکە گەڕاندنەوەی بۆ ئەم قاسەیە ئامادە کردبێت، بەرپرسی تەکنەلۆجیای زانیاری بە کلیلی بنکەکە دەیکاتەوە و تۆ وشەی نهێنییەکی نوێ هەڵدەبژێریت: هیچ شتێک ون نابێت. بەبێ ئەو کلیلە کەس ناتوانێت قاسەکە بکاتەوە، تەنانەت بنکەکەش.</translation>
    </message>
    <message>
        <source>This vault&apos;s station key begins with {key}.</source>
        <translation>کلیلی بنکە بۆ ئەم قاسەیە بەمە دەست پێدەکات: {key}.</translation>
    </message>
    <message>
        <source>This vault has no station recovery key yet.</source>
        <translation>هێشتا هیچ کلیلی گەڕاندنەوەی بنکە بۆ ئەم قاسەیە نییە.</translation>
    </message>
</context>
</TS>
