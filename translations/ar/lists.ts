<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>ActivityList</name>
    <message>
        <location filename="../../ui/lists/activities.py" line="146"/>
        <source>All types</source>
        <translation>كل الأنواع</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="151"/>
        <source>Any status</source>
        <translation>أي حالة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="154"/>
        <source>Any district</source>
        <translation>أي قضاء</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="173"/>
        <source>&amp;Type</source>
        <translation>النوع (&amp;ن)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="174"/>
        <source>&amp;Status</source>
        <translation>الحالة (&amp;ح)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="175"/>
        <source>&amp;District</source>
        <translation>القضاء (&amp;ق)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="180"/>
        <source>Dates &amp;between</source>
        <translation>التواريخ بين (&amp;ب)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="181"/>
        <source>Filter by date</source>
        <translation>تصفية حسب التاريخ</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="182"/>
        <source>From date</source>
        <translation>من تاريخ</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="183"/>
        <source>To date</source>
        <translation>إلى تاريخ</translation>
    </message>
</context>
<context>
    <name>HouseholdList</name>
    <message>
        <location filename="../../ui/lists/households.py" line="72"/>
        <source>&amp;New household</source>
        <translation>أسرة جديدة (&amp;ج)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/households.py" line="73"/>
        <source>New household</source>
        <translation>أسرة جديدة</translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <location filename="../../ui/lists/household_page.py" line="131"/>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="189"/>
        <source>Members: {count}</source>
        <translation>أفراد الأسرة: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="192"/>
        <source>Activities, newest first: {count}</source>
        <translation>النشاطات، الأحدث أولاً: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="196"/>
        <source>Members</source>
        <translation>أفراد الأسرة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="197"/>
        <source>Activities with this household</source>
        <translation>النشاطات مع هذه الأسرة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="198"/>
        <source>Add &amp;member</source>
        <translation>إضافة فرد (&amp;ف)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="199"/>
        <source>Add member</source>
        <translation>إضافة فرد</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="200"/>
        <source>Start an &amp;activity</source>
        <translation>بدء نشاط (&amp;ش)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="201"/>
        <source>Start an activity</source>
        <translation>بدء نشاط</translation>
    </message>
</context>
<context>
    <name>SearchableList</name>
    <message>
        <location filename="../../ui/lists/search_list.py" line="103"/>
        <source>Search by name, number or phone</source>
        <translation>ابحث بالاسم أو الرقم أو الهاتف</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="104"/>
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="105"/>
        <source>Records</source>
        <translation>السجلات</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="106"/>
        <source>List status</source>
        <translation>حالة القائمة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="124"/>
        <source>Searching…</source>
        <translation>جارٍ البحث…</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="126"/>
        <source>Nothing matched “{query}”.</source>
        <translation>لا توجد نتائج لـ «{query}».</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="128"/>
        <source>No records yet.</source>
        <translation>لا توجد سجلات بعد.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="130"/>
        <source>{count} shown; scroll down for more.</source>
        <translation>المعروض {count}؛ مرّر للأسفل لعرض المزيد.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="132"/>
        <source>{count} shown.</source>
        <translation>المعروض {count}.</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <location filename="../../ui/lists/model.py" line="138"/>
        <source>Number</source>
        <translation>الرقم</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="139"/>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="140"/>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="141"/>
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="142"/>
        <source>District</source>
        <translation>القضاء</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="143"/>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
</context>
</TS>
