import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Opens N WebSocket connections to a run endpoint, waits for each one's connection_ready, then holds them idle so
 * the server's memory can be measured (see docs/benchmarks.md, "Idle WebSockets"). A single-file program:
 * {@code java sigil-bench/http/WsIdle.java ws://127.0.0.1:8000/ws/agents/lead_qualifier/run 1000 <jwt> 30000}.
 */
public class WsIdle {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        String token = args[2];
        long holdMillis = Long.parseLong(args[3]);
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> open = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            open.add(http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(uri, new WebSocket.Listener() {
                        @Override
                        public void onOpen(WebSocket ws) { ws.request(1); }

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            ready.complete(null);
                            ws.request(1);
                            return null;
                        }
                    }).get());
            ready.get();
        }
        System.out.println("open " + open.size());
        System.out.flush();
        Thread.sleep(holdMillis);
    }
}
