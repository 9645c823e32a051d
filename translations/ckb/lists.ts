<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ckb">
<context>
    <name>ActivityList</name>
    <message>
        <location filename="../../ui/lists/activities.py" line="145" />
        <source>All types</source>
        <translation>هەموو جۆرەکان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="150" />
        <source>Any status</source>
        <translation>هەر دۆخێک</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="153" />
        <source>Any district</source>
        <translation>هەر قەزایەک</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="169" />
        <source>&amp;Type</source>
        <translation>جۆر (&amp;ج)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="170" />
        <source>&amp;Status</source>
        <translation>دۆخ (&amp;د)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="171" />
        <source>&amp;District</source>
        <translation>قەزا (&amp;ق)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="176" />
        <source>Dates &amp;between</source>
        <translation>بەروارەکان لە نێوان (&amp;ب)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="177" />
        <source>Filter by date</source>
        <translation>پاڵاوتن بەپێی بەروار</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="178" />
        <source>From date</source>
        <translation>لە بەرواری</translation>
    </message>
    <message>
        <location filename="../../ui/lists/activities.py" line="179" />
        <source>To date</source>
        <translation>تا بەرواری</translation>
    </message>
</context>
<context>
    <name>HouseholdList</name>
    <message>
        <location filename="../../ui/lists/households.py" line="72" />
        <source>&amp;New household</source>
        <translation>خێزانی نوێ (&amp;ن)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/households.py" line="73" />
        <source>New household</source>
        <translation>خێزانی نوێ</translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <location filename="../../ui/lists/household_page.py" line="130" />
        <source>Loading…</source>
        <translation>بارکردن…</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="185" />
        <source>Members: {count}</source>
        <translation>ئەندامان: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="188" />
        <source>Activities, newest first: {count}</source>
        <translation>چالاکییەکان، نوێترین یەکەم: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="192" />
        <source>Members</source>
        <translation>ئەندامان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="193" />
        <source>Activities with this household</source>
        <translation>چالاکییەکان لەگەڵ ئەم خێزانە</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="194" />
        <source>Add &amp;member</source>
        <translation>زیادکردنی ئەندام (&amp;ئ)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="195" />
        <source>Add member</source>
        <translation>زیادکردنی ئەندام</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="196" />
        <source>Start an &amp;activity</source>
        <translation>دەستپێکردنی چالاکی (&amp;چ)</translation>
    </message>
    <message>
        <location filename="../../ui/lists/household_page.py" line="197" />
        <source>Start an activity</source>
        <translation>دەستپێکردنی چالاکی</translation>
    </message>
</context>
<context>
    <name>SearchableList</name>
    <message>
        <location filename="../../ui/lists/search_list.py" line="97" />
        <source>Search by name, number or phone</source>
        <translation>بگەڕێ بە ناو، ژمارە یان تەلەفۆن</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="98" />
        <source>Search</source>
        <translation>گەڕان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="99" />
        <source>Records</source>
        <translation>تۆمارەکان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="100" />
        <source>List status</source>
        <translation>دۆخی لیست</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="111" />
        <source>Searching…</source>
        <translation>گەڕان…</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="113" />
        <source>Nothing matched “{query}”.</source>
        <translation>هیچ شتێک لەگەڵ «{query}» نەگونجا.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="115" />
        <source>No records yet.</source>
        <translation>هێشتا هیچ تۆمارێک نییە.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="117" />
        <source>{count} shown; scroll down for more.</source>
        <translation>{count} پیشاندراوە؛ بۆ زیاتر بچۆ خوارەوە.</translation>
    </message>
    <message>
        <location filename="../../ui/lists/search_list.py" line="119" />
        <source>{count} shown.</source>
        <translation>{count} پیشاندراوە.</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <location filename="../../ui/lists/model.py" line="130" />
        <source>Number</source>
        <translation>ژمارە</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="131" />
        <source>Type</source>
        <translation>جۆر</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="132" />
        <source>Title</source>
        <translation>ناونیشان</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="133" />
        <source>Date</source>
        <translation>بەروار</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="134" />
        <source>District</source>
        <translation>قەزا</translation>
    </message>
    <message>
        <location filename="../../ui/lists/model.py" line="135" />
        <source>Status</source>
        <translation>دۆخ</translation>
    </message>
</context>
</TS>