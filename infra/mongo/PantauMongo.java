// Local MongoDB-protocol server for development and tests (mongo-java-server).
// It reports MongoDB 6.0 / wire version 17 because current pymongo refuses servers below wire 9.
// Usage: PantauMongo <bind-host> <port> memory|<h2-file-path>
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

public final class PantauMongo {
    private static final MongoVersion REPORTED = new MongoVersion() {
        @Override public List<Integer> getVersionArray() { return List.of(6, 0, 0); }
        @Override public int getWireVersion() { return 17; }
    };

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: PantauMongo <bind-host> <port> memory|<h2-file>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        AbstractMongoBackend backend = args[2].equals("memory") ? new MemoryBackend() : new H2Backend(args[2]);
        backend.version(REPORTED);
        MongoServer server = new MongoServer(backend);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            backend.close();
        }));
        server.bind(host, port);
        System.out.println("pantau-mongo listening on " + host + ":" + port + " backend=" + args[2]);
    }
}
