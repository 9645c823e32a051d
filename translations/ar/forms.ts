<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>DateInput</name>
    <message>
        <location filename="../../ui/forms/fields.py" line="348" />
        <source>Calendar: {field}</source>
        <translation>التقويم: {field}</translation>
    </message>
</context>
<context>
    <name>LinkInput</name>
    <message>
        <location filename="../../ui/forms/links.py" line="101" />
        <source>Search by name, phone or number</source>
        <translation>ابحث بالاسم أو الهاتف أو الرقم</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="102" />
        <source>Search for {field}</source>
        <translation>البحث عن {field}</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="103" />
        <source>Records found</source>
        <translation>السجلات التي وُجدت</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="105" />
        <location filename="../../ui/forms/links.py" line="106" />
        <source>Remove the chosen record</source>
        <translation>إزالة السجل المختار</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="251" />
        <source>No record found.</source>
        <translation>لم يُعثر على أي سجل.</translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <location filename="../../ui/forms/editor.py" line="213" />
        <source>New: {kind}</source>
        <translation>جديد: {kind}</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="217" />
        <source>Edit: {kind} {number}</source>
        <translation>تعديل: {kind} {number}</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="219" />
        <source>&amp;Save</source>
        <translation>&amp;حفظ</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="220" />
        <source>Save the record</source>
        <translation>حفظ السجل</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="221" />
        <source>Save the record (Ctrl+S)</source>
        <translation>حفظ السجل (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="222" />
        <source>Fields of the record</source>
        <translation>حقول السجل</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="393" />
        <source>Draft kept: {time}</source>
        <translation>حُفظت المسودة: {time}</translation>
    </message>
</context>
</TS>
