package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.ToolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Text to speech with ElevenLabs ({@code POST /v1/text-to-speech/{voice_id}/with-timestamps}, header
 * {@code xi-api-key}). The audio is stored as a file (a resource) in {@code tools.audio_dir}, named by the hash of
 * voice, model and text so the same request is stored once; the answer gives its path and duration (the end of
 * the last character in the vendor's alignment), never the audio itself.
 */
final class ElevenLabsService {
    static final String MODEL = "eleven_multilingual_v2";
    static final String FORMAT = "mp3_44100_128";

    private final ServiceHttp http;
    private final String baseUrl;
    private final String key;
    private final String defaultVoice;
    private final Path audioDir;

    ElevenLabsService(ServiceHttp http, String baseUrl, String key, String defaultVoice, Path audioDir) {
        this.http = http;
        this.baseUrl = Services.trimSlash(baseUrl);
        this.key = key;
        this.defaultVoice = defaultVoice;
        this.audioDir = audioDir;
    }

    List<ServiceTool> tools(java.time.Duration timeout) {
        return List.of(new ServiceTool("elevenlabs", "text_to_speech", "Turns text into speech (ElevenLabs) and stores"
                + " it as an MP3 file; returns the file's path and the audio's duration in seconds.",
                """
                {"type": "object", "properties": {
                  "text": {"type": "string", "minLength": 1, "maxLength": 5000},
                  "voice_id": {"type": "string", "pattern": "^[A-Za-z0-9]{1,64}$"}},
                 "required": ["text"], "additionalProperties": false}""", false, timeout, this::speak));
    }

    private JsonNode speak(JsonNode args) {
        String text = args.path("text").asText();
        String voice = args.path("voice_id").asText(defaultVoice);
        ObjectNode body = ServiceHttp.JSON.createObjectNode().put("text", text).put("model_id", MODEL);
        JsonNode r = http.send(http.request(baseUrl + "/v1/text-to-speech/" + voice + "/with-timestamps?output_format="
                + FORMAT).header("xi-api-key", key).header("Content-Type", "application/json")
                .POST(ServiceHttp.json(body)).build());
        byte[] audio;
        try {
            audio = Base64.getDecoder().decode(r.path("audio_base64").asText(""));
        } catch (IllegalArgumentException e) {
            throw new ToolError("ElevenLabs answered with audio that is not base64");
        }
        if (audio.length == 0) throw new ToolError("ElevenLabs answered without audio");
        double duration = 0;
        for (JsonNode end : r.path("alignment").path("character_end_times_seconds")) duration = Math.max(duration, end.asDouble());
        Path file = audioDir.resolve(id(voice, text) + ".mp3");
        try {
            Files.createDirectories(audioDir);
            Path tmp = Files.createTempFile(audioDir, ".tts", ".tmp");
            Files.write(tmp, audio);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ToolError("cannot store the audio in " + audioDir + ": " + e.getMessage(),
                    "make tools.audio_dir a writable directory");
        }
        return ServiceHttp.JSON.createObjectNode().put("path", file.toAbsolutePath().toString())
                .put("duration_seconds", Math.round(duration * 1000) / 1000.0).put("bytes", audio.length)
                .put("format", "mp3").put("voice_id", voice);
    }

    private static String id(String voice, String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((voice + "\n" + MODEL + "\n" + text)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
