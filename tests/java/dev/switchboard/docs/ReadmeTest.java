package dev.switchboard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the README shows is what is built and tested. */
class ReadmeTest {

    private static final Path README = Path.of("../README.md");

    private static String section(String heading) throws IOException {
        String text = Files.readString(README);
        int start = text.indexOf("\n## " + heading + "\n");
        assertThat(start).as("README section %s", heading).isNotNegative();
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static List<String> javaBlocks(String section) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** @return the class as a user writes it: from its first annotation on (package and imports left out) */
    private static String code(String file) throws IOException {
        String source = Files.readString(Path.of("consumer/src/main/java/dev/switchboard/consumer", file));
        return source.substring(source.indexOf("\n@") + 1).stripTrailing() + "\n";
    }

    @Test
    void theUsageExampleIsTheConsumerApplicationsCode() throws IOException {
        assertThat(javaBlocks(section("Use it in your application")))
                .containsExactly(code("RoomEndpoint.java"), code("Rooms.java"));
    }

    @Test
    void theConfigurationTableNamesEverySettingOfTheModuleWithItsDefault() throws IOException {
        String table = section("Configuration");
        List<String> checked = new ArrayList<>();
        try (var sources = Files.walk(Path.of("../src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                // @ConfigProperty(name = KEY, defaultValue = "..."): resolve KEY from its constant in the same file.
                Matcher property = Pattern.compile(
                        "@ConfigProperty\\(name = ([\\w.]+), defaultValue = (?:\"([^\"]*)\"|([\\w.]+))\\)").matcher(text);
                while (property.find()) {
                    String key = constantValue(property.group(1));
                    String value = property.group(2) != null ? property.group(2) : constantValue(property.group(3));
                    String row = "| `" + key + "` | " + (value.isEmpty() ? "(none)" : "`" + value + "`") + " |";
                    assertThat(table).as("README row for %s (%s)", key, source.getFileName()).contains(row);
                    checked.add(key);
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(15);
        // Optional settings, with no default: the roles (read by the configurator, which the container makes) and the
        // origins (empty means none, which MicroProfile Config cannot express as a default).
        assertThat(table).contains("| `" + constantValue("ROLES_KEY") + "` | (none) |")
                .contains("| `" + constantValue("Origins.KEY") + "` | (none) |")
                .contains("| `" + constantValue("ENABLED_KEY") + "` | (none: on) |");
    }

    private static String constantValue(String reference) throws IOException {
        String constant = reference.substring(reference.lastIndexOf('.') + 1);
        try (var sources = Files.walk(Path.of("../src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = Pattern.compile("String " + constant + " = \"([^\"]*)\";").matcher(Files.readString(source));
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("no constant " + constant);
    }
}
