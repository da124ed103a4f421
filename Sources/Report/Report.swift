import NGD
import Render
enum ReportModule {}
