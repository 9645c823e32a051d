<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ckb">
    <context>
        <name>SettingsScreen</name>
        <message>
            <location filename="../../ui/settings.py" line="153" />
            <source>Settings</source>
            <translation>ڕێکخستنەکان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="154" />
            <source>&amp;Language</source>
            <translation>&amp;زمان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="155" />
            <source>&amp;Digits</source>
            <translation>&amp;ژمارەکان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="156" />
            <source>Lock after &amp;idle minutes</source>
            <translation>داخستن دوای &amp;خولەکی بێکاری</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="157" />
            <source>&amp;Text size</source>
            <translation>&amp;قەبارەی نووسین</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="158" />
            <location filename="../../ui/settings.py" line="171" />
            <source>Change password</source>
            <translation>گۆڕینی وشەی نهێنی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="159" />
            <source>C&amp;urrent password</source>
            <translation>وشەی نهێنیی &amp;ئێستا</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="160" />
            <source>&amp;New password</source>
            <translation>وشەی نهێنیی &amp;نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="161" />
            <source>&amp;Repeat the new password</source>
            <translation>&amp;دووبارە نووسینەوەی وشەی نهێنیی نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="162" />
            <source>Change &amp;password</source>
            <translation>&amp;گۆڕینی وشەی نهێنی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="164" />
            <source>Language</source>
            <translation>زمان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="165" />
            <source>Digits</source>
            <translation>ژمارەکان</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="166" />
            <source>Lock after idle minutes</source>
            <translation>داخستن دوای خولەکی بێکاری</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="167" />
            <source>Text size</source>
            <translation>قەبارەی نووسین</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="168" />
            <source>Current password</source>
            <translation>وشەی نهێنیی ئێستا</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="169" />
            <source>New password</source>
            <translation>وشەی نهێنیی نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="170" />
            <source>Repeat the new password</source>
            <translation>دووبارە نووسینەوەی وشەی نهێنیی نوێ</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="172" />
            <source>Idle lock problem</source>
            <translation>کێشە لە ماوەی داخستن</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="173" />
            <source>Password change result</source>
            <translation>ئەنجامی گۆڕینی وشەی نهێنی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="177" />
            <source>Arabic-Indic digits</source>
            <translation>ژمارەی عەرەبی-هیندی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="177" />
            <source>Latin digits</source>
            <translation>ژمارەی لاتینی</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="196" />
            <source>{size} points</source>
            <translation>{size} خاڵ</translation>
        </message>
    </context>
    <context>
        <name>SyncScreen</name>
        <message>
            <location filename="../../ui/sync_screen.py" line="107" />
            <source>Sync with the station</source>
            <translation>هاوکاتکردن لەگەڵ بنکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="108" />
            <location filename="../../ui/sync_screen.py" line="112" />
            <source>Changes the server refused</source>
            <translation>ئەو گۆڕانکاریانەی ڕاژەکار ڕەتی کردنەوە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="110" />
            <location filename="../../ui/sync_screen.py" line="111" />
            <source>Sync now</source>
            <translation>ئێستا هاوکات بکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="113" />
            <source>This device</source>
            <translation>ئەم ئامێرە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="114" />
            <source>Last sync</source>
            <translation>دوایین هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="115" />
            <source>Waiting to be sent</source>
            <translation>چاوەڕێی ناردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="116" />
            <source>Result of the last sync</source>
            <translation>ئەنجامی دوایین هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="117" />
            <source>Sync error</source>
            <translation>هەڵەی هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="182" />
            <source>The server has refused nothing.</source>
            <translation>ڕاژەکار هیچی ڕەت نەکردووەتەوە.</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusBar</name>
        <message>
            <location filename="../../ui/sync_status.py" line="289" />
            <source>&amp;Sync now</source>
            <translation>ئێستا &amp;هاوکات بکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="290" />
            <source>Sync now</source>
            <translation>ئێستا هاوکات بکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="291" />
            <source>Connection to the station server</source>
            <translation>پەیوەندی بە ڕاژەکاری بنکە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="292" />
            <source>Last sync</source>
            <translation>دوایین هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="293" />
            <location filename="../../ui/sync_status.py" line="294" />
            <source>Sync progress</source>
            <translation>پێشکەوتنی هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="300" />
            <source>Connecting…</source>
            <translation>پەیوەندی دەکرێت…</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="301" />
            <source>Online</source>
            <translation>پەیوەستە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="302" />
            <source>Offline</source>
            <translation>پەیوەست نییە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="303" />
            <source>Not enrolled</source>
            <translation>تۆمار نەکراوە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="304" />
            <source>Sync problem</source>
            <translation>کێشە لە هاوکاتکردن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="312" />
            <source>Last sync: {at}</source>
            <translation>دوایین هاوکاتکردن: {at}</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="314" />
            <source>Never synced</source>
            <translation>هێشتا هاوکات نەکراوە</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="324" />
            <source>Syncing…</source>
            <translation>هاوکات دەکرێت…</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="342" />
            <source>Sent {sent} of {to_send}, received {received} ({kb} kB)</source>
            <translation>{sent} لە {to_send} نێردرا، {received} وەرگیرا ({kb} کیلۆبایت)</translation>
        </message>
    </context>
    <context>
        <name>TodayScreen</name>
        <message>
            <location filename="../../ui/today.py" line="157" />
            <source>Today</source>
            <translation>ئەمڕۆ</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="158" />
            <source>Visits and follow-ups</source>
            <translation>سەردان و بەدواداچوونەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="159" />
            <source>Drafts</source>
            <translation>ڕەشنووسەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="160" />
            <source>Waiting to be sent</source>
            <translation>چاوەڕێی ناردن</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="161" />
            <source>Refused by the server</source>
            <translation>ڕاژەکار ڕەتی کردنەوە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="162" />
            <location filename="../../ui/today.py" line="168" />
            <source>Records in conflict</source>
            <translation>تۆمارە ناکۆکەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="163" />
            <source>Show &amp;more</source>
            <translation>&amp;زیاتر پیشان بدە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="165" />
            <source>Visits and follow-ups due</source>
            <translation>سەردان و بەدواداچوونە کاتهاتووەکان</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="166" />
            <source>Records waiting to be sent</source>
            <translation>تۆمارەکانی چاوەڕێی ناردن</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="167" />
            <source>Changes the server refused</source>
            <translation>ئەو گۆڕانکاریانەی ڕاژەکار ڕەتی کردنەوە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="169" />
            <source>Show more visits and follow-ups</source>
            <translation>سەردان و بەدواداچوونی زیاتر پیشان بدە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="170" />
            <source>Summary of the day</source>
            <translation>پوختەی ئەمڕۆ</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="245" />
            <source>Everything has been sent.</source>
            <translation>هەموو شتێک نێردرا.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="252" />
            <source>The server has refused nothing.</source>
            <translation>ڕاژەکار هیچی ڕەت نەکردووەتەوە.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="257" />
            <source>No record is in conflict.</source>
            <translation>هیچ تۆمارێک ناکۆکی تێدا نییە.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="262" />
            <source>Next home visit</source>
            <translation>سەردانی داهاتووی ماڵ</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="263" />
            <source>Follow-up</source>
            <translation>بەدواداچوون</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="264" />
            <source>Aftercare</source>
            <translation>چاودێریی دواتر</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="265" />
            <source>Shelter review</source>
            <translation>پێداچوونەوەی حەوانەوە</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="283" />
            <source>Nothing is due this week.</source>
            <translation>هیچ شتێک ئەم هەفتەیە کاتی نەهاتووە.</translation>
        </message>
    </context>
</TS>
