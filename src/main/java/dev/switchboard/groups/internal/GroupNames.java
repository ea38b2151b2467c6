package dev.switchboard.groups.internal;

import dev.switchboard.groups.InvalidGroupNameException;

/** The rule for group names; kept apart so it can be tested, and used, without a container. */
public final class GroupNames {

    private GroupNames() {
    }

    /**
     * @param name a proposed group name
     * @param maxLength the longest name allowed
     * @return {@code name}
     * @throws IllegalArgumentException quoting {@code name} and the rule it broke
     */
    public static String validate(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            throw new InvalidGroupNameException("group name must not be empty, got " + (name == null ? "null" : "\"\""));
        }
        if (name.length() > maxLength) {
            throw new InvalidGroupNameException("group name \"" + printable(name.substring(0, Math.min(40, maxLength)))
                    + "...\" has " + name.length() + " characters, the limit switchboard.group.name-max-length is "
                    + maxLength);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!allowed(c)) {
                throw new InvalidGroupNameException("group name \"" + printable(name) + "\" has the character '"
                        + printable(String.valueOf(c)) + "' (U+" + String.format("%04X", (int) c) + ") at index " + i
                        + "; allowed are A-Z a-z 0-9 . _ : -");
            }
        }
        return name;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }

    // Shown as \\uXXXX so a log line or error frame cannot be forged by a name: C0, DEL and C1 controls (NEL is a line
    // break to some readers), the Unicode line and paragraph separators, format characters (the bidi controls that
    // reverse text, invisible ones), surrogates (a lone one is not text), and the quote and backslash around it.
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT || type == Character.SURROGATE || c == '"' || c == '\\') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
