package io.sigil.paths;

import io.sigil.errors.InvalidInputError;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns names that come from users (contract names and versions, agent names) into files of one directory. The
 * name is checked against its own strict pattern first; this is the second line: the resolved file must be a
 * direct child of the directory, whatever the name contains, and the error names neither the directory nor any
 * other server path.
 */
public final class SafePaths {
    private SafePaths() { }

    /**
     * {@code dir/fileName}, refused unless it stays a direct child of {@code dir}.
     *
     * @param what what the name is, for the error ("contract file name")
     */
    public static Path child(Path dir, String fileName, String what) {
        Path base = dir.toAbsolutePath().normalize();
        Path file;
        try {
            file = base.resolve(fileName).normalize();
        } catch (InvalidPathException e) {
            throw refused(what, fileName);
        }
        if (fileName.isEmpty() || fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0
                || !base.equals(file.getParent())) {
            throw refused(what, fileName);
        }
        return file;
    }

    private static InvalidInputError refused(String what, String fileName) {
        String shown = fileName.length() > 60 ? fileName.substring(0, 60) + "..." : fileName;
        return new InvalidInputError("The " + what + " '" + shown.replaceAll("\\p{Cntrl}", "?")
                + "' would leave its directory", "use only letters, digits, '.', '_' and '-' in names and versions");
    }
}
