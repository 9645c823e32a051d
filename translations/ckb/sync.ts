<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ckb">
    <context>
        <name>SettingsScreen</name>
        <message>
            <location filename="../../ui/settings.py" line="151" />
            <source>Settings</source>
            <translation>ڕێکخستنەکان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="152" />
            <source>&amp;Language</source>
            <translation>&amp;زمان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="153" />
            <source>&amp;Digits</source>
            <translation>&amp;ژمارەکان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="154" />
            <source>Lock after &amp;idle minutes</source>
            <translation>داخستن دوای &amp;خولەکی بێکاری</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="155" />
            <source>&amp;Text size</source>
            <translation>&amp;قەبارەی نووسین</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="156" />
            <location filename="../../ui/settings.py" line="169" />
            <source>Change password</source>
            <translation>گۆڕینی وشەی نهێنی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="157" />
            <source>C&amp;urrent password</source>
            <translation>وشەی نهێنیی &amp;ئێستا</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="158" />
            <source>&amp;New password</source>
            <translation>وشەی نهێنیی &amp;نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="159" />
            <source>&amp;Repeat the new password</source>
            <translation>&amp;دووبارە نووسینەوەی وشەی نهێنیی نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="160" />
            <source>Change &amp;password</source>
            <translation>&amp;گۆڕینی وشەی نهێنی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="162" />
            <source>Language</source>
            <translation>زمان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="163" />
            <source>Digits</source>
            <translation>ژمارەکان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="164" />
            <source>Lock after idle minutes</source>
            <translation>داخستن دوای خولەکی بێکاری</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="165" />
            <source>Text size</source>
            <translation>قەبارەی نووسین</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="166" />
            <source>Current password</source>
            <translation>وشەی نهێنیی ئێستا</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="167" />
            <source>New password</source>
            <translation>وشەی نهێنیی نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="168" />
            <source>Repeat the new password</source>
            <translation>دووبارە نووسینەوەی وشەی نهێنیی نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="170" />
            <source>Idle lock problem</source>
            <translation>کێشە لە ماوەی داخستن</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="171" />
            <source>Password change result</source>
            <translation>ئەنجامی گۆڕینی وشەی نهێنی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="175" />
            <source>Arabic-Indic digits</source>
            <translation>ژمارەی عەرەبی-هیندی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="175" />
            <source>Latin digits</source>
            <translation>ژمارەی لاتینی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="194" />
            <source>{size} points</source>
            <translation>{size} خاڵ</translation>
        </message>
    </context>
    <context>
        <name>SyncScreen</name>
        <message>
            <location filename="../../ui/sync_screen.py" line="105" />
            <source>Sync with the station</source>
            <translation>هاوکاتکردن لەگەڵ بنکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="106" />
            <location filename="../../ui/sync_screen.py" line="110" />
            <source>Changes the server refused</source>
            <translation>ئەو گۆڕانکاریانەی ڕاژەکار ڕەتی کردنەوە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="108" />
            <location filename="../../ui/sync_screen.py" line="109" />
            <source>Sync now</source>
            <translation>ئێستا هاوکات بکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="111" />
            <source>This device</source>
            <translation>ئەم ئامێرە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="112" />
            <source>Last sync</source>
            <translation>دوایین هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="113" />
            <source>Waiting to be sent</source>
            <translation>چاوەڕێی ناردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="114" />
            <source>Result of the last sync</source>
            <translation>ئەنجامی دوایین هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="115" />
            <source>Sync error</source>
            <translation>هەڵەی هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="180" />
            <source>The server has refused nothing.</source>
            <translation>ڕاژەکار هیچی ڕەت نەکردووەتەوە.</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusBar</name>
        <message>
            <location filename="../../ui/sync_status.py" line="287" />
            <source>&amp;Sync now</source>
            <translation>ئێستا &amp;هاوکات بکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="288" />
            <source>Sync now</source>
            <translation>ئێستا هاوکات بکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="289" />
            <source>Connection to the station server</source>
            <translation>پەیوەندی بە ڕاژەکاری بنکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="290" />
            <source>Last sync</source>
            <translation>دوایین هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="291" />
            <location filename="../../ui/sync_status.py" line="292" />
            <source>Sync progress</source>
            <translation>پێشکەوتنی هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="298" />
            <source>Connecting…</source>
            <translation>پەیوەندی دەکرێت…</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="299" />
            <source>Online</source>
            <translation>پەیوەستە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="300" />
            <source>Offline</source>
            <translation>پەیوەست نییە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="301" />
            <source>Not enrolled</source>
            <translation>تۆمار نەکراوە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="302" />
            <source>Sync problem</source>
            <translation>کێشە لە هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="310" />
            <source>Last sync: {at}</source>
            <translation>دوایین هاوکاتکردن: {at}</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="312" />
            <source>Never synced</source>
            <translation>هێشتا هاوکات نەکراوە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="322" />
            <source>Syncing…</source>
            <translation>هاوکات دەکرێت…</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="340" />
            <source>Sent {sent} of {to_send}, received {received} ({kb} kB)</source>
            <translation>{sent} لە {to_send} نێردرا، {received} وەرگیرا ({kb} کیلۆبایت)</translation>
        </message>
    </context>
    <context>
        <name>TodayScreen</name>
        <message>
            <location filename="../../ui/today.py" line="155" />
            <source>Today</source>
            <translation>ئەمڕۆ</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="156" />
            <source>Visits and follow-ups</source>
            <translation>سەردان و بەدواداچوونەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="157" />
            <source>Drafts</source>
            <translation>ڕەشنووسەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="158" />
            <source>Waiting to be sent</source>
            <translation>چاوەڕێی ناردن</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="159" />
            <source>Refused by the server</source>
            <translation>ڕاژەکار ڕەتی کردنەوە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="160" />
            <location filename="../../ui/today.py" line="166" />
            <source>Records in conflict</source>
            <translation>تۆمارە ناکۆکەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="161" />
            <source>Show &amp;more</source>
            <translation>&amp;زیاتر پیشان بدە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="163" />
            <source>Visits and follow-ups due</source>
            <translation>سەردان و بەدواداچوونە کاتهاتووەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="164" />
            <source>Records waiting to be sent</source>
            <translation>تۆمارەکانی چاوەڕێی ناردن</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="165" />
            <source>Changes the server refused</source>
            <translation>ئەو گۆڕانکاریانەی ڕاژەکار ڕەتی کردنەوە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="167" />
            <source>Show more visits and follow-ups</source>
            <translation>سەردان و بەدواداچوونی زیاتر پیشان بدە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="168" />
            <source>Summary of the day</source>
            <translation>پوختەی ئەمڕۆ</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="243" />
            <source>Everything has been sent.</source>
            <translation>هەموو شتێک نێردرا.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="250" />
            <source>The server has refused nothing.</source>
            <translation>ڕاژەکار هیچی ڕەت نەکردووەتەوە.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="255" />
            <source>No record is in conflict.</source>
            <translation>هیچ تۆمارێک ناکۆکی تێدا نییە.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="260" />
            <source>Next home visit</source>
            <translation>سەردانی داهاتووی ماڵ</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="261" />
            <source>Follow-up</source>
            <translation>بەدواداچوون</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="262" />
            <source>Aftercare</source>
            <translation>چاودێریی دواتر</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="263" />
            <source>Shelter review</source>
            <translation>پێداچوونەوەی حەوانەوە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="281" />
            <source>Nothing is due this week.</source>
            <translation>هیچ شتێک ئەم هەفتەیە کاتی نەهاتووە.</translation>
        </message>
    </context>
</TS>
