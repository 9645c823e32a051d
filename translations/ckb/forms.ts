<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ckb">
<context>
    <name>DateInput</name>
    <message>
        <location filename="../../ui/forms/fields.py" line="348" />
        <source>Calendar: {field}</source>
        <translation>ڕۆژژمێر: {field}</translation>
    </message>
</context>
<context>
    <name>LinkInput</name>
    <message>
        <location filename="../../ui/forms/links.py" line="101" />
        <source>Search by name, phone or number</source>
        <translation>بگەڕێ بە ناو، تەلەفۆن یان ژمارە</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="102" />
        <source>Search for {field}</source>
        <translation>گەڕان بۆ {field}</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="103" />
        <source>Records found</source>
        <translation>ئەو تۆمارانەی دۆزرانەوە</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="105" />
        <location filename="../../ui/forms/links.py" line="106" />
        <source>Remove the chosen record</source>
        <translation>لابردنی تۆماری هەڵبژێردراو</translation>
    </message>
    <message>
        <location filename="../../ui/forms/links.py" line="251" />
        <source>No record found.</source>
        <translation>هیچ تۆمارێک نەدۆزرایەوە.</translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <location filename="../../ui/forms/editor.py" line="213" />
        <source>New: {kind}</source>
        <translation>نوێ: {kind}</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="217" />
        <source>Edit: {kind} {number}</source>
        <translation>دەستکاری: {kind} {number}</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="219" />
        <source>&amp;Save</source>
        <translation>&amp;پاشەکەوت</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="220" />
        <source>Save the record</source>
        <translation>پاشەکەوتکردنی تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="221" />
        <source>Save the record (Ctrl+S)</source>
        <translation>پاشەکەوتکردنی تۆمار (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="222" />
        <source>Fields of the record</source>
        <translation>خانەکانی تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/forms/editor.py" line="393" />
        <source>Draft kept: {time}</source>
        <translation>ڕەشنووس هەڵگیرا: {time}</translation>
    </message>
</context>
</TS>
