<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>ActivityList</name>
    <message>
        <location filename="../../ui/lists/activities.py" line="145" />
        <source>All types</source>
        <translation>كل الأنواع</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="150" />
        <source>Any status</source>
        <translation>أي حالة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="153" />
        <source>Any district</source>
        <translation>أي قضاء</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="169" />
        <source>&amp;Type</source>
        <translation>النوع (&amp;ن)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="170" />
        <source>&amp;Status</source>
        <translation>الحالة (&amp;ح)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="171" />
        <source>&amp;District</source>
        <translation>القضاء (&amp;ق)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="176" />
        <source>Dates &amp;between</source>
        <translation>التواريخ بين (&amp;ب)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="177" />
        <source>Filter by date</source>
        <translation>تصفية حسب التاريخ</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="178" />
        <source>From date</source>
        <translation>من تاريخ</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="179" />
        <source>To date</source>
        <translation>إلى تاريخ</translation>
    </message>
</context>
<context>
    <name>HouseholdList</name>
    <message>
        <location filename="../../ui/lists/households.py" line="72" />
        <source>&amp;New household</source>
        <translation>أسرة جديدة (&amp;ج)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/households.py" line="73" />
        <source>New household</source>
        <translation>أسرة جديدة</translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <location filename="../../ui/lists/household_page.py" line="130" />
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="185" />
        <source>Members: {count}</source>
        <translation>أفراد الأسرة: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="188" />
        <source>Activities, newest first: {count}</source>
        <translation>النشاطات، الأحدث أولاً: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="192" />
        <source>Members</source>
        <translation>أفراد الأسرة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="193" />
        <source>Activities with this household</source>
        <translation>النشاطات مع هذه الأسرة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="194" />
        <source>Add &amp;member</source>
        <translation>إضافة فرد (&amp;ف)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="195" />
        <source>Add member</source>
        <translation>إضافة فرد</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="196" />
        <source>Start an &amp;activity</source>
        <translation>بدء نشاط (&amp;ش)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="197" />
        <source>Start an activity</source>
        <translation>بدء نشاط</translation>
    </message>
</context>
<context>
    <name>SearchableList</name>
    <message>
        <location filename="../../ui/lists/search_list.py" line="97" />
        <source>Search by name, number or phone</source>
        <translation>ابحث بالاسم أو الرقم أو الهاتف</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="98" />
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="99" />
        <source>Records</source>
        <translation>السجلات</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="100" />
        <source>List status</source>
        <translation>حالة القائمة</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="111" />
        <source>Searching…</source>
        <translation>جارٍ البحث…</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="113" />
        <source>Nothing matched “{query}”.</source>
        <translation>لا توجد نتائج لـ «{query}».</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="115" />
        <source>No records yet.</source>
        <translation>لا توجد سجلات بعد.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="117" />
        <source>{count} shown; scroll down for more.</source>
        <translation>المعروض {count}؛ مرّر للأسفل لعرض المزيد.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="119" />
        <source>{count} shown.</source>
        <translation>المعروض {count}.</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <location filename="../../ui/lists/model.py" line="130" />
        <source>Number</source>
        <translation>الرقم</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="131" />
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="132" />
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="133" />
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="134" />
        <source>District</source>
        <translation>القضاء</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="135" />
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
</context>
</TS>