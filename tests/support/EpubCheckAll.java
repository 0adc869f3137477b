// Runs EPUBCheck on each EPUB named on the command line in one Java process, so that the JVM starts
// once for a whole batch. Each EPUB's report (messages and summary, standard error merged into
// standard output) follows a line `=== EPUB <path>`; EPUBCheck's exit code follows `=== EXIT`.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckAll {
    public static void main(String[] args) {
        System.setErr(System.out);
        for (String epub : args) {
            System.out.println("=== EPUB " + epub);
            int code = new EpubChecker().run(new String[] { epub });
            System.out.println("=== EXIT " + code);
            System.out.flush();
        }
    }
}
