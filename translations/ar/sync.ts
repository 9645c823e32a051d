<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
    <context>
        <name>SettingsScreen</name>
        <message>
            <location filename="../../ui/settings.py" line="153" />
            <source>Settings</source>
            <translation>الإعدادات</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="154" />
            <source>&amp;Language</source>
            <translation>ال&amp;لغة</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="155" />
            <source>&amp;Digits</source>
            <translation>الأ&amp;رقام</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="156" />
            <source>Lock after &amp;idle minutes</source>
            <translation>القفل بعد د&amp;قائق من عدم الاستخدام</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="157" />
            <source>&amp;Text size</source>
            <translation>&amp;حجم الخط</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="158" />
            <location filename="../../ui/settings.py" line="171" />
            <source>Change password</source>
            <translation>تغيير كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="159" />
            <source>C&amp;urrent password</source>
            <translation>كلمة ال&amp;مرور الحالية</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="160" />
            <source>&amp;New password</source>
            <translation>كلمة المرور ال&amp;جديدة</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="161" />
            <source>&amp;Repeat the new password</source>
            <translation>أ&amp;عد كتابة كلمة المرور الجديدة</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="162" />
            <source>Change &amp;password</source>
            <translation>&amp;تغيير كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="164" />
            <source>Language</source>
            <translation>اللغة</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="165" />
            <source>Digits</source>
            <translation>الأرقام</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="166" />
            <source>Lock after idle minutes</source>
            <translation>القفل بعد دقائق من عدم الاستخدام</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="167" />
            <source>Text size</source>
            <translation>حجم الخط</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="168" />
            <source>Current password</source>
            <translation>كلمة المرور الحالية</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="169" />
            <source>New password</source>
            <translation>كلمة المرور الجديدة</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="170" />
            <source>Repeat the new password</source>
            <translation>أعد كتابة كلمة المرور الجديدة</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="172" />
            <source>Idle lock problem</source>
            <translation>مشكلة في مدة القفل</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="173" />
            <source>Password change result</source>
            <translation>نتيجة تغيير كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="177" />
            <source>Arabic-Indic digits</source>
            <translation>أرقام هندية</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="177" />
            <source>Latin digits</source>
            <translation>أرقام لاتينية</translation>
        </message>
        <message>
            <location filename="../../ui/settings.py" line="196" />
            <source>{size} points</source>
            <translation>{size} نقطة</translation>
        </message>
    </context>
    <context>
        <name>SyncScreen</name>
        <message>
            <location filename="../../ui/sync_screen.py" line="107" />
            <source>Sync with the station</source>
            <translation>المزامنة مع المخفر</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="108" />
            <location filename="../../ui/sync_screen.py" line="112" />
            <source>Changes the server refused</source>
            <translation>تغييرات رفضها الخادم</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="110" />
            <location filename="../../ui/sync_screen.py" line="111" />
            <source>Sync now</source>
            <translation>زامن الآن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="113" />
            <source>This device</source>
            <translation>هذا الجهاز</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="114" />
            <source>Last sync</source>
            <translation>آخر مزامنة</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="115" />
            <source>Waiting to be sent</source>
            <translation>بانتظار الإرسال</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="116" />
            <source>Result of the last sync</source>
            <translation>نتيجة آخر مزامنة</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="117" />
            <source>Sync error</source>
            <translation>خطأ في المزامنة</translation>
        </message>
        <message>
            <location filename="../../ui/sync_screen.py" line="182" />
            <source>The server has refused nothing.</source>
            <translation>لم يرفض الخادم أي شيء.</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusBar</name>
        <message>
            <location filename="../../ui/sync_status.py" line="289" />
            <source>&amp;Sync now</source>
            <translation>&amp;زامن الآن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="290" />
            <source>Sync now</source>
            <translation>زامن الآن</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="291" />
            <source>Connection to the station server</source>
            <translation>الاتصال بخادم المخفر</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="292" />
            <source>Last sync</source>
            <translation>آخر مزامنة</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="293" />
            <location filename="../../ui/sync_status.py" line="294" />
            <source>Sync progress</source>
            <translation>تقدم المزامنة</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="300" />
            <source>Connecting…</source>
            <translation>جارٍ الاتصال…</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="301" />
            <source>Online</source>
            <translation>متصل</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="302" />
            <source>Offline</source>
            <translation>غير متصل</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="303" />
            <source>Not enrolled</source>
            <translation>غير مسجّل</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="304" />
            <source>Sync problem</source>
            <translation>مشكلة في المزامنة</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="312" />
            <source>Last sync: {at}</source>
            <translation>آخر مزامنة: {at}</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="314" />
            <source>Never synced</source>
            <translation>لم تتم أي مزامنة بعد</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="324" />
            <source>Syncing…</source>
            <translation>جارٍ المزامنة…</translation>
        </message>
        <message>
            <location filename="../../ui/sync_status.py" line="342" />
            <source>Sent {sent} of {to_send}, received {received} ({kb} kB)</source>
            <translation>أُرسل {sent} من {to_send}، واستُلم {received} ({kb} كيلوبايت)</translation>
        </message>
    </context>
    <context>
        <name>TodayScreen</name>
        <message>
            <location filename="../../ui/today.py" line="157" />
            <source>Today</source>
            <translation>اليوم</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="158" />
            <source>Visits and follow-ups</source>
            <translation>الزيارات والمتابعات</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="159" />
            <source>Drafts</source>
            <translation>المسودات</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="160" />
            <source>Waiting to be sent</source>
            <translation>بانتظار الإرسال</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="161" />
            <source>Refused by the server</source>
            <translation>رفضها الخادم</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="162" />
            <location filename="../../ui/today.py" line="168" />
            <source>Records in conflict</source>
            <translation>سجلات فيها تعارض</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="163" />
            <source>Show &amp;more</source>
            <translation>&amp;عرض المزيد</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="165" />
            <source>Visits and follow-ups due</source>
            <translation>الزيارات والمتابعات المستحقة</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="166" />
            <source>Records waiting to be sent</source>
            <translation>سجلات بانتظار الإرسال</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="167" />
            <source>Changes the server refused</source>
            <translation>تغييرات رفضها الخادم</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="169" />
            <source>Show more visits and follow-ups</source>
            <translation>عرض المزيد من الزيارات والمتابعات</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="170" />
            <source>Summary of the day</source>
            <translation>ملخص اليوم</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="245" />
            <source>Everything has been sent.</source>
            <translation>أُرسل كل شيء.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="252" />
            <source>The server has refused nothing.</source>
            <translation>لم يرفض الخادم أي شيء.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="257" />
            <source>No record is in conflict.</source>
            <translation>لا يوجد سجل فيه تعارض.</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="262" />
            <source>Next home visit</source>
            <translation>الزيارة المنزلية القادمة</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="263" />
            <source>Follow-up</source>
            <translation>متابعة</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="264" />
            <source>Aftercare</source>
            <translation>رعاية لاحقة</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="265" />
            <source>Shelter review</source>
            <translation>مراجعة الإيواء</translation>
        </message>
        <message>
            <location filename="../../ui/today.py" line="283" />
            <source>Nothing is due this week.</source>
            <translation>لا شيء مستحق هذا الأسبوع.</translation>
        </message>
    </context>
</TS>
