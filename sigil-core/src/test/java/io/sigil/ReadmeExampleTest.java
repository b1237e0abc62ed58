package io.sigil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Use as a library" example compiles against the core as it is (and so stays true). */
class ReadmeExampleTest {
    @TempDir Path dir;

    @Test
    void theLibraryExampleCompiles() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Use as a library"));
        Matcher code = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(code.find()).as("a java block in the section").isTrue();
        Path source = dir.resolve("QualifyLead.java");
        Files.writeString(source, code.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (var files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", classpath(), "-d", dir.toString(), "-proc:none"), null,
                    files.getJavaFileObjects(source.toFile())).call();

            assertThat(ok).as(diagnostics.getDiagnostics().toString()).isTrue();
        }
        assertThat(dir.resolve("QualifyLead$LeadQualification.class")).exists();
    }

    /** The test class path: surefire passes it in a property (java.class.path may be its booter jar only). */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
