<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ckb">
<context>
    <name>DraftsList</name>
    <message>
        <location filename="../../ui/drafts_list.py" line="33"/>
        <source>Unsaved forms</source>
        <translation>فۆرمە پاشەکەوتنەکراوەکان</translation>
    </message>
    <message>
        <location filename="../../ui/drafts_list.py" line="52"/>
        <source>{kind}, last typed {when}</source>
        <translation>{kind}، دوایین نووسین {when}</translation>
    </message>
</context>
<context>
    <name>NewRecordScreen</name>
    <message>
        <location filename="../../ui/new_record.py" line="35"/>
        <source>New record</source>
        <translation>تۆماری نوێ</translation>
    </message>
    <message>
        <location filename="../../ui/new_record.py" line="36"/>
        <source>Kind of record</source>
        <translation>جۆری تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/new_record.py" line="37"/>
        <source>&amp;Start</source>
        <translation>دەستپێبکە (&amp;د)</translation>
    </message>
    <message>
        <location filename="../../ui/new_record.py" line="38"/>
        <source>Start a record of the chosen kind</source>
        <translation>تۆمارێک لە جۆری هەڵبژێردراو دەستپێبکە</translation>
    </message>
</context>
<context>
    <name>RecordArea</name>
    <message>
        <location filename="../../ui/record_area.py" line="61"/>
        <source>&amp;Back</source>
        <translation>گەڕانەوە (&amp;گ)</translation>
    </message>
    <message>
        <location filename="../../ui/record_area.py" line="62"/>
        <source>Back to the previous page</source>
        <translation>گەڕانەوە بۆ پەڕەی پێشوو</translation>
    </message>
    <message>
        <location filename="../../ui/record_area.py" line="63"/>
        <source>Back (Alt+Left)</source>
        <translation>گەڕانەوە (Alt+تیری چەپ)</translation>
    </message>
</context>
</TS>
