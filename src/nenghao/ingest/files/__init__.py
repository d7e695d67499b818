"""CSV and XLSX uplink files: one statistic record per row, every row accounted for.

A file has a header row naming its columns (Chinese or English, or both as in the template:
``数据项编码 item``) and one record per row:

=========== ========== ======== ==================================================
中文         English    required meaning
=========== ========== ======== ==================================================
数据项编码   item       yes      the data item code
数据项名称   name       no       shown for the person filling the file; not imported
统计周期     period     yes      ``15min hour day month year`` or ``15分钟 小时 日 月 年``
周期开始     start      yes      period start: ``2026-10-01 00:00`` (CST) or RFC 3339
数值         value      yes      the amount over the period (empty for register items)
单位         unit       yes      the unit of value and register
累计读数     register   no       the cumulative meter reading at the period start
质量         quality    no       ``good estimated manual suspect`` or ``实测 估算 人工 存疑``
=========== ========== ======== ==================================================

Modules, in the order a file passes through them:

* `layout`: the columns and their accepted names, limits, row errors, the parsed file;
* `reading`: bytes to rows (CSV in UTF-8 or GB18030, XLSX through `nenghao.ingest.workbook`);
* `cells`: the header row, and each row's cells to an `UplinkRecord` or `RowError` s;
* `importing`: `parse_file` (a whole file) and `ingest_parsed` (through the ingest service).

`parse_file` turns every non-blank row into either an `UplinkRecord` or one or more
`RowError` (row number as a spreadsheet shows it; column as headed in the file; a stable
code; a message). Nothing is dropped or corrected. Checks against the enterprise's
registered items are the service's (`validate_records`): `ingest_parsed` sends the records
there and maps its per-record rejections back to rows and columns (`COLUMN_OF_REASON`), so
rejected records are quarantined like any other. Problems with the file as a whole raise
`FileRejected`. Entirely blank rows carry nothing and are skipped. The reason codes are
`nenghao.standards.reason_codes`' (those only file import gives reject ``file``).
"""
