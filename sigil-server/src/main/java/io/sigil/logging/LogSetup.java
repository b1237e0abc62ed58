package io.sigil.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.sigil.config.Settings;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.List;

/**
 * Configures Logback from {@link Settings} in code (no logback.xml): stderr only, so that command output on stdout
 * stays clean for pipes; {@code json} lines or {@code pretty} text; optionally a JSON-lines file rolled daily and by
 * size. Libraries are held at WARN unless Sigil runs in debug mode.
 */
public final class LogSetup {

    /** Chatty libraries: their INFO/DEBUG output is noise for Sigil's users unless debugging. */
    /** Held so that java.util.logging keeps the level set on it (it references loggers weakly). */
    private static final java.util.logging.Logger LUCENE_VECTORIZATION =
            java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    static final List<String> NOISY = List.of("org.eclipse.jetty", "io.javalin", "okhttp3", "okio", "com.anthropic",
            "com.openai", "io.netty", "io.lettuce", "reactor", "com.zaxxer.hikari", "org.flywaydb", "org.apache",
            "dev.langchain4j", "ai.djl", "com.networknt", "io.modelcontextprotocol", "org.postgresql");

    static final String PRETTY_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{36}"
            + "%replace( session=%X{session_id}){' session=$', ''}%replace( agent=%X{agent_id}){' agent=$', ''}"
            + " - %msg%replace( %kvp{NONE}){' $', ''}%n";

    private LogSetup() { }

    /** Replaces whatever configuration Logback has with the one {@code settings} describe. */
    public static void apply(Settings settings) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Settings.Logging logging = settings.logging();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        Level level = Level.toLevel(logging.level(), Level.INFO);
        root.setLevel(settings.debug() ? Level.DEBUG : level);
        if (!settings.debug()) {
            for (String name : NOISY) {
                Level quiet = level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
                ctx.getLogger(name).setLevel(quiet);
            }
            // DJL warns on every start that this machine has no usable CUDA; the embeddings run on the CPU anyway.
            ctx.getLogger("ai.djl.util.cuda").setLevel(Level.ERROR);
            // ...and, whenever a tokenizer loads, that it truncates at the model's own 512 tokens: as intended.
            ctx.getLogger("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer").setLevel(Level.ERROR);
            // Lucene reports through java.util.logging that the incubating Vector API is off; search works without it.
            LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
        }
        root.addAppender(console(ctx, "json".equals(logging.format())));
        if (logging.file() != null) {
            Appender<ILoggingEvent> file = rollingFile(ctx, logging);
            if (file.isStarted()) {
                root.addAppender(file);
            } else {
                root.warn("cannot write the log file {}; logging to stderr only (check the directory's permissions)",
                        logging.file());
            }
        }
    }

    /**
     * For the server: log lines (one access line per request) are written by one background thread in batches
     * (see {@link BackgroundAppender}), so a request never waits for stderr or the log file. Nothing is dropped:
     * when the queue is full, callers wait. {@link #stop()} writes what is queued.
     */
    public static void writeInBackground() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        var targets = new java.util.ArrayList<OutputStreamAppender<ILoggingEvent>>();
        root.iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof OutputStreamAppender<ILoggingEvent> out) targets.add(out);
        });
        if (targets.isEmpty()) return;
        for (OutputStreamAppender<ILoggingEvent> t : targets) {
            root.detachAppender(t); // detached, not stopped: the background writer keeps using it
            // stderr through System.err makes a system call per line (a 128-byte autoflushed buffer); the writer
            // flushes once per batch instead.
            if (t instanceof ConsoleAppender<ILoggingEvent> console) {
                console.setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 64 * 1024));
            }
        }
        var background = new BackgroundAppender(targets, 8192, 5_000);
        background.setContext(ctx);
        background.setName("background");
        background.start();
        root.addAppender(background);
    }

    /** Writes queued log lines and closes the appenders (server shutdown). */
    public static void stop() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        // Explicitly: LoggerContext.stop() does nothing once the context has been stopped and reset, which would
        // leave queued lines unwritten and the file unclosed.
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAndStopAllAppenders();
        ctx.stop();
    }

    /** Before settings are known (and in tests): warnings and errors on stderr, pretty. */
    static void bootstrap(LoggerContext ctx) {
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console(ctx, false));
    }

    private static Appender<ILoggingEvent> console(LoggerContext ctx, boolean json) {
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(ctx);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(json ? jsonEncoder(ctx) : prettyEncoder(ctx));
        appender.start();
        return appender;
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext ctx, Settings.Logging logging) {
        var appender = new RollingFileAppender<ILoggingEvent>();
        appender.setContext(ctx);
        appender.setName("file");
        appender.setFile(logging.file().toString());
        var policy = new SizeAndTimeBasedRollingPolicy<ILoggingEvent>();
        policy.setContext(ctx);
        policy.setParent(appender);
        policy.setFileNamePattern(logging.file() + ".%d{yyyy-MM-dd}.%i.gz");
        policy.setMaxFileSize(new FileSize(logging.maxFileSizeBytes()));
        policy.setMaxHistory(logging.maxHistoryDays());
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(jsonEncoder(ctx));
        appender.start();
        return appender;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext ctx) {
        var layout = new JsonLineLayout();
        layout.setContext(ctx);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> prettyEncoder(LoggerContext ctx) {
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PRETTY_PATTERN + "%ex");
        encoder.start();
        return encoder;
    }
}
