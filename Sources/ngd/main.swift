import Report
print(ReportProbe.hello())
