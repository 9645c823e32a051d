<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ar_IQ">
<context>
    <name>FileViewer</name>
    <message>
        <location filename="../../ui/record/viewer.py" line="113" />
        <source>Zoom &amp;in</source>
        <translation>&amp;تكبير</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="114" />
        <source>Zoom &amp;out</source>
        <translation>ت&amp;صغير</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="115" />
        <source>Zoom in</source>
        <translation>تكبير</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="116" />
        <source>Zoom out</source>
        <translation>تصغير</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="118" />
        <source>This kind of file cannot be shown in the app.</source>
        <translation>لا يمكن عرض هذا النوع من الملفات داخل البرنامج.</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="121" />
        <source>Image</source>
        <translation>صورة</translation>
    </message>
    <message>
        <location filename="../../ui/record/viewer.py" line="123" />
        <source>PDF document</source>
        <translation>مستند PDF</translation>
    </message>
</context>
<context>
    <name>FilesPanel</name>
    <message>
        <location filename="../../ui/record/files.py" line="149" />
        <source>&amp;Attach a file…</source>
        <translation>إ&amp;رفاق ملف…</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="150" />
        <source>Attach a file from disk</source>
        <translation>إرفاق ملف من الحاسوب</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="151" />
        <source>&amp;Open file</source>
        <translation>&amp;فتح الملف</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="152" />
        <source>Open the selected file</source>
        <translation>فتح الملف المحدد</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="153" />
        <source>&amp;Save a copy…</source>
        <translation>&amp;حفظ نسخة…</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="154" />
        <source>Save a copy of the selected file in a folder</source>
        <translation>حفظ نسخة من الملف المحدد في مجلد</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="155" />
        <source>Files of the record</source>
        <translation>ملفات السجل</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="189" />
        <source>Attach files to the record</source>
        <translation>إرفاق ملفات بالسجل</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="221" />
        <source>Save a copy of the file in</source>
        <translation>حفظ نسخة من الملف في</translation>
    </message>
    <message>
        <location filename="../../ui/record/files.py" line="237" />
        <source>Saved: {path}</source>
        <translation>تم الحفظ: {path}</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../ui/record/history.py" line="80" />
        <source>Field</source>
        <translation>الحقل</translation>
    </message>
    <message>
        <location filename="../../ui/record/history.py" line="80" />
        <source>Before</source>
        <translation>قبل</translation>
    </message>
    <message>
        <location filename="../../ui/record/history.py" line="80" />
        <source>After</source>
        <translation>بعد</translation>
    </message>
    <message>
        <location filename="../../ui/record/history.py" line="81" />
        <source>History of the record</source>
        <translation>سجل تعديلات السجل</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <location filename="../../ui/record/page.py" line="134" />
        <source>&amp;Edit</source>
        <translation>&amp;تعديل</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="135" />
        <source>Edit this record</source>
        <translation>تعديل هذا السجل</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="136" />
        <source>&amp;Print summary…</source>
        <translation>&amp;طباعة الخلاصة…</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="137" />
        <source>Save the record's summary as a PDF</source>
        <translation>حفظ خلاصة السجل بصيغة PDF</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="138" />
        <source>P&amp;ledge…</source>
        <translation>ت&amp;عهد…</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="139" />
        <source>Save the pledge for the parties as a PDF</source>
        <translation>حفظ التعهد لتوقيع الأطراف بصيغة PDF</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="140" />
        <source>&amp;Details</source>
        <translation>ال&amp;تفاصيل</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="141" />
        <source>&amp;Files</source>
        <translation>ال&amp;ملفات</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="142" />
        <source>&amp;History</source>
        <translation>سجل الت&amp;عديلات</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="143" />
        <source>Parts of the record</source>
        <translation>أقسام السجل</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="144" />
        <source>Values in conflict, awaiting a clerk</source>
        <translation>قيم متعارضة بانتظار الموظف المختص</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="145" />
        <source>Values in conflict</source>
        <translation>قيم متعارضة</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="146" />
        <source>Record title</source>
        <translation>عنوان السجل</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="147" />
        <source>Record type and number</source>
        <translation>نوع السجل ورقمه</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="148" />
        <source>Message</source>
        <translation>رسالة</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="269" />
        <source>{value}, entered by {who}</source>
        <translation>{value}، أدخلها {who}</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="323" />
        <source>Save as PDF</source>
        <translation>حفظ بصيغة PDF</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="323" />
        <source>PDF documents (*.pdf)</source>
        <translation>مستندات PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/record/page.py" line="333" />
        <source>Saved: {path}</source>
        <translation>تم الحفظ: {path}</translation>
    </message>
</context>
</TS>