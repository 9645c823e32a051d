<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>DraftsList</name>
    <message>
        <location filename="../../ui/drafts_list.py" line="33"/>
        <source>Unsaved forms</source>
        <translation>النماذج غير المحفوظة</translation>
    </message>
    <message>
        <location filename="../../ui/drafts_list.py" line="52"/>
        <source>{kind}, last typed {when}</source>
        <translation>{kind}، آخر كتابة {when}</translation>
    </message>
</context>
<context>
    <name>NewRecordScreen</name>
    <message>
        <location filename="../../ui/new_record.py" line="35"/>
        <source>New record</source>
        <translation>سجل جديد</translation>
    </message>
    <message>
        <location filename="../../ui/new_record.py" line="36"/>
        <source>Kind of record</source>
        <translation>نوع السجل</translation>
    </message>
    <message>
        <location filename="../../ui/new_record.py" line="37"/>
        <source>&amp;Start</source>
        <translation>ابدأ (&amp;ب)</translation>
    </message>
    <message>
        <location filename="../../ui/new_record.py" line="38"/>
        <source>Start a record of the chosen kind</source>
        <translation>ابدأ سجلاً من النوع المختار</translation>
    </message>
</context>
<context>
    <name>RecordArea</name>
    <message>
        <location filename="../../ui/record_area.py" line="61"/>
        <source>&amp;Back</source>
        <translation>رجوع (&amp;ر)</translation>
    </message>
    <message>
        <location filename="../../ui/record_area.py" line="62"/>
        <source>Back to the previous page</source>
        <translation>الرجوع إلى الصفحة السابقة</translation>
    </message>
    <message>
        <location filename="../../ui/record_area.py" line="63"/>
        <source>Back (Alt+Left)</source>
        <translation>رجوع (Alt+سهم اليسار)</translation>
    </message>
</context>
</TS>
