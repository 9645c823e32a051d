<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ckb">
<context>
    <name>FileViewer</name>
    <message>
        <location filename="../../ui/record/viewer.py" line="113" />
        <source>Zoom &amp;in</source>
        <translation>&amp;گەورەکردن</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="114" />
        <source>Zoom &amp;out</source>
        <translation>&amp;بچووککردنەوە</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="115" />
        <source>Zoom in</source>
        <translation>گەورەکردن</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="116" />
        <source>Zoom out</source>
        <translation>بچووککردنەوە</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="118" />
        <source>This kind of file cannot be shown in the app.</source>
        <translation>ئەم جۆرە فایلە ناتوانرێت لەناو بەرنامەکەدا پیشان بدرێت.</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="121" />
        <source>Image</source>
        <translation>وێنە</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="123" />
        <source>PDF document</source>
        <translation>بەڵگەنامەی PDF</translation>
    </message>
</context>
<context>
    <name>FilesPanel</name>
    <message>
        <location filename="../../ui/record/files.py" line="149" />
        <source>&amp;Attach a file…</source>
        <translation>&amp;هاوپێچکردنی فایل…</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="150" />
        <source>Attach a file from disk</source>
        <translation>هاوپێچکردنی فایلێک لە کۆمپیوتەرەکە</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="151" />
        <source>&amp;Open file</source>
        <translation>&amp;کردنەوەی فایل</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="152" />
        <source>Open the selected file</source>
        <translation>کردنەوەی فایلی دیاریکراو</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="153" />
        <source>&amp;Save a copy…</source>
        <translation>&amp;پاشەکەوتکردنی کۆپییەک…</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="154" />
        <source>Save a copy of the selected file in a folder</source>
        <translation>پاشەکەوتکردنی کۆپییەکی فایلی دیاریکراو لە بوخچەیەکدا</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="155" />
        <source>Files of the record</source>
        <translation>فایلەکانی تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="189" />
        <source>Attach files to the record</source>
        <translation>هاوپێچکردنی فایل بە تۆمارەکەوە</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="221" />
        <source>Save a copy of the file in</source>
        <translation>پاشەکەوتکردنی کۆپیی فایل لە</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="237" />
        <source>Saved: {path}</source>
        <translation>پاشەکەوت کرا: {path}</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../ui/record/history.py" line="80" />
        <source>Field</source>
        <translation>خانە</translation>
    </message>
    <message>
        <location filename="../../ui/record/history.py" line="80" />
        <source>Before</source>
        <translation>پێشتر</translation>
    </message>
    <message>
        <location filename="../../ui/record/history.py" line="80" />
        <source>After</source>
        <translation>دواتر</translation>
    </message>
    <message>
        <location filename="../../ui/record/history.py" line="81" />
        <source>History of the record</source>
        <translation>مێژووی تۆمارەکە</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <location filename="../../ui/record/page.py" line="134" />
        <source>&amp;Edit</source>
        <translation>&amp;دەستکاری</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="135" />
        <source>Edit this record</source>
        <translation>دەستکاریکردنی ئەم تۆمارە</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="136" />
        <source>&amp;Print summary…</source>
        <translation>&amp;چاپکردنی پوختە…</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="137" />
        <source>Save the record's summary as a PDF</source>
        <translation>پاشەکەوتکردنی پوختەی تۆمار وەک PDF</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="138" />
        <source>P&amp;ledge…</source>
        <translation>&amp;بەڵێننامە…</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="139" />
        <source>Save the pledge for the parties as a PDF</source>
        <translation>پاشەکەوتکردنی بەڵێننامە بۆ واژۆی لایەنەکان وەک PDF</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="140" />
        <source>&amp;Details</source>
        <translation>&amp;وردەکاری</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="141" />
        <source>&amp;Files</source>
        <translation>&amp;فایلەکان</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="142" />
        <source>&amp;History</source>
        <translation>&amp;مێژوو</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="143" />
        <source>Parts of the record</source>
        <translation>بەشەکانی تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="144" />
        <source>Values in conflict, awaiting a clerk</source>
        <translation>بەهای ناکۆک، چاوەڕێی فەرمانبەری پەیوەندیدار</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="145" />
        <source>Values in conflict</source>
        <translation>بەهای ناکۆک</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="146" />
        <source>Record title</source>
        <translation>ناونیشانی تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="147" />
        <source>Record type and number</source>
        <translation>جۆر و ژمارەی تۆمار</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="148" />
        <source>Message</source>
        <translation>پەیام</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="269" />
        <source>{value}, entered by {who}</source>
        <translation>{value}، تۆمارکراوە لەلایەن {who}</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="323" />
        <source>Save as PDF</source>
        <translation>پاشەکەوتکردن وەک PDF</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="323" />
        <source>PDF documents (*.pdf)</source>
        <translation>بەڵگەنامەکانی PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="333" />
        <source>Saved: {path}</source>
        <translation>پاشەکەوت کرا: {path}</translation>
    </message>
</context>
</TS>