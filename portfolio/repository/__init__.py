"""The СӨЖ 1 service repository: the Excel template students fill in, and the row-by-row check of what they hand in.

- ``columns``: the file's vocabulary — its columns, the lists of the fixed columns, the words the check accepts;
- ``template``: the template workbook (openpyxl);
- ``reading``: opening an uploaded .xlsx or .ods safely, as rows of values;
- ``check``: the checks of each row, giving the report and the valid rows;
- ``report``: the stored report as the reader sees it, in their language.
"""
