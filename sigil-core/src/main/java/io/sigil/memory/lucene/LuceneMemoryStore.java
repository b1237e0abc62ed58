package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Categories;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * The embedded memory store: one Lucene index under {@code <dataDir>/index} holding resources, items (BM25 text
 * with the English analyzer, an HNSW vector each) and categories, plus {@code <dataDir>/resources.jsonl}.
 *
 * <p>Every write is committed before it returns (Lucene commits are atomic: after a crash the index is at the
 * last commit), and searches go through a near-real-time {@link SearcherManager}. Each commit records the
 * embedding model and dimension; opening with another embedder fails with a hint to run
 * {@code sigil memory reindex}, because vectors of different models cannot be compared.
 */
public final class LuceneMemoryStore implements MemoryStore {
    static final String FORMAT = "1";
    static final String KEY_MODEL = "embedding_model";
    static final String KEY_DIMENSION = "embedding_dimension";
    static final String KEY_FORMAT = "sigil_memory_format";
    static final String REINDEX_HINT = "run `sigil memory reindex` to rebuild the index with the configured model";

    private static final String UID = "uid";
    private static final String KIND = "kind";
    private static final String ID = "id";
    private static final String SCOPE = "scope";
    private static final String CATEGORY = "category";
    private static final String CONTENT = "content";
    private static final String JSON = "json";
    private static final String CREATED = "created";
    private static final String VECTOR = "vector";
    private static final String RESOURCE = "resource";
    private static final String ITEM = "item";
    private static final String CATEGORY_KIND = "category";

    private final Path dataDir;
    private final Embedder embedder;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ResourceJournal journal;
    /** Scope and category filter bit sets per segment: 64 MB is about 100 filters over 5M documents. */
    private final ItemFilterCache filters = new ItemFilterCache(64L << 20);

    private LuceneMemoryStore(Path dataDir, Embedder embedder, Directory directory, IndexWriter writer,
                              ResourceJournal journal) throws IOException {
        this.dataDir = dataDir;
        this.embedder = embedder;
        this.directory = directory;
        this.writer = writer;
        this.journal = journal;
        this.searchers = new SearcherManager(writer, new SearcherFactory());
    }

    /** Opens (or creates) the store in {@code dataDir}; fails if the index was built with another model or is damaged. */
    public static LuceneMemoryStore open(Path dataDir, Embedder embedder) {
        LuceneReindexer.recoverInterruptedSwap(dataDir);
        return openAt(dataDir, embedder, indexDir(dataDir), journalFile(dataDir));
    }

    static Path indexDir(Path dataDir) { return dataDir.resolve("index"); }

    static Path journalFile(Path dataDir) { return dataDir.resolve("resources.jsonl"); }

    static LuceneMemoryStore openAt(Path dataDir, Embedder embedder, Path indexDir, Path journalFile) {
        Directory directory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(indexDir);
            directory = FSDirectory.open(indexDir);
            if (DirectoryReader.indexExists(directory)) checkCommit(indexDir, SegmentInfos.readLatestCommit(directory), embedder);
            var config = new IndexWriterConfig(new EnglishAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(Map.of(KEY_MODEL, embedder.model(), KEY_DIMENSION,
                    Integer.toString(embedder.dimension()), KEY_FORMAT, FORMAT).entrySet());
            if (!DirectoryReader.indexExists(directory)) writer.commit();
            return new LuceneMemoryStore(dataDir, embedder, directory, writer,
                    new ResourceJournal(journalFile));
        } catch (MemoryError e) {
            closeQuietly(writer, directory);
            throw e;
        } catch (LockObtainFailedException e) {
            closeQuietly(writer, directory);
            throw new MemoryError("The memory index " + indexDir + " is in use by another Sigil process",
                    "stop the other process (one writer per data directory) or point memory.data_dir elsewhere",
                    Map.of("dir", indexDir.toString()), true, e);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException
                 | NoSuchFileException e) {
            closeQuietly(writer, directory);
            throw corrupted(indexDir, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer, directory);
            if (e.getCause() instanceof CorruptIndexException c) throw corrupted(indexDir, c);
            throw new MemoryError("Cannot open the memory index " + indexDir + ": " + e.getMessage(),
                    "check that the directory is writable; if the index is damaged, " + REINDEX_HINT,
                    Map.of("dir", indexDir.toString()), false, e);
        }
    }

    private static void checkCommit(Path indexDir, SegmentInfos commit, Embedder embedder) {
        Map<String, String> data = commit.getUserData();
        String model = data.get(KEY_MODEL);
        if (model == null) {
            throw new MemoryError("The memory index " + indexDir + " does not record an embedding model",
                    "it was not written by Sigil or is damaged; " + REINDEX_HINT, Map.of("dir", indexDir.toString()),
                    false, null);
        }
        String dimension = Integer.toString(embedder.dimension());
        if (!model.equals(embedder.model()) || !dimension.equals(data.get(KEY_DIMENSION))) {
            throw new MemoryError("The memory index " + indexDir + " was built with embedding model '" + model
                    + "' (" + data.get(KEY_DIMENSION) + " dimensions) but the configured model is '"
                    + embedder.model() + "' (" + dimension + ")",
                    REINDEX_HINT + ", or set memory.embedding_model back to " + model,
                    Map.of("index_model", model, "configured_model", embedder.model()), false, null);
        }
    }

    static MemoryError corrupted(Path indexDir, Exception e) {
        return new MemoryError("The memory index " + indexDir + " is damaged: " + e.getMessage(),
                "run `sigil memory reindex` to rebuild it from the resource journal, or restore the data directory "
                        + "from a backup", Map.of("dir", indexDir.toString()), false, e);
    }

    @Override
    public Embedder embedder() { return embedder; }

    /** Where this store keeps its files. */
    public Path dataDir() { return dataDir; }

    // ---------------------------------------------------------------- resources

    @Override
    public void putResource(Resource resource) {
        write(() -> {
            journal.append(resource);
            var doc = base(RESOURCE, resource.id(), resource.scope());
            doc.add(new StoredField(JSON, MemoryJson.write(resource)));
            doc.add(new NumericDocValuesField(CREATED, resource.createdAt().toEpochMilli()));
            doc.add(new LongPoint(CREATED, resource.createdAt().toEpochMilli()));
            writer.updateDocument(uid(RESOURCE, resource.id()), doc);
        });
    }

    @Override
    public Optional<Resource> resource(String id) {
        return byUid(RESOURCE, id).map(json -> MemoryJson.read(json, Resource.class));
    }

    @Override
    public List<Resource> resources() {
        return read(searcher -> {
            var docs = searcher.search(kind(RESOURCE), Integer.MAX_VALUE, new Sort(new SortField(CREATED, SortField.Type.LONG)));
            var out = new ArrayList<Resource>();
            for (ScoreDoc sd : docs.scoreDocs) out.add(MemoryJson.read(json(searcher, sd.doc), Resource.class));
            return out;
        });
    }

    // ---------------------------------------------------------------- items

    @Override
    public void putItems(List<MemoryItem> items) {
        if (items.isEmpty()) return;
        putItems(items, embedder.embed(items.stream().map(MemoryItem::content).toList()));
    }

    /**
     * Adds items with vectors computed elsewhere by this store's model (bulk loads, benchmarks).
     * Vectors must be unit length and have the store's dimension.
     */
    public void putItems(List<MemoryItem> items, List<float[]> vectors) {
        if (items.size() != vectors.size()) throw new IllegalArgumentException("one vector per item");
        write(() -> {
            var seenCategories = new LinkedHashMap<String, Category>();
            for (int i = 0; i < items.size(); i++) {
                MemoryItem item = items.get(i);
                float[] v = vectors.get(i);
                if (v.length != embedder.dimension()) {
                    throw new IllegalArgumentException("vector of " + v.length + " dimensions, index has "
                            + embedder.dimension());
                }
                writer.updateDocument(uid(ITEM, item.id()), itemDoc(item, v));
                seenCategories.putIfAbsent(item.scope().key() + "\u0000" + item.category(),
                        new Category(item.category(), Categories.describe(item.category()), "", 0, null, item.scope()));
            }
            for (Category c : seenCategories.values()) {
                if (categoryJson(c.scope(), c.name()).isEmpty()) writer.updateDocument(categoryUid(c), categoryDoc(c));
            }
        });
    }

    private Document itemDoc(MemoryItem item, float[] vector) {
        var doc = base(ITEM, item.id(), item.scope());
        doc.add(new StringField(CATEGORY, item.category(), Field.Store.NO));
        doc.add(new TextField(CONTENT, item.content(), Field.Store.NO));
        doc.add(new StoredField(JSON, MemoryJson.write(item)));
        long created = item.createdAt().toEpochMilli();
        doc.add(new NumericDocValuesField(CREATED, created));
        doc.add(new LongPoint(CREATED, created));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    @Override
    public Optional<MemoryItem> item(String id) {
        return byUid(ITEM, id).map(json -> MemoryJson.read(json, MemoryItem.class));
    }

    @Override
    public boolean deleteItem(String id) {
        if (item(id).isEmpty()) return false;
        write(() -> writer.deleteDocuments(uid(ITEM, id)));
        return true;
    }

    @Override
    public List<MemoryItem> items(SearchFilter filter, int limit) {
        if (limit <= 0) return List.of();
        return read(searcher -> {
            int n = Math.min(limit, Math.max(1, searcher.getIndexReader().maxDoc()));
            var docs = searcher.search(itemFilter(filter), n, new Sort(new SortField(CREATED, SortField.Type.LONG, true)));
            var out = new ArrayList<MemoryItem>();
            for (ScoreDoc sd : docs.scoreDocs) out.add(MemoryJson.read(json(searcher, sd.doc), MemoryItem.class));
            return out;
        });
    }

    @Override
    public List<MemoryItem> allItems() {
        return read(searcher -> {
            var docs = searcher.search(kind(ITEM), Math.max(1, searcher.getIndexReader().maxDoc()),
                    new Sort(new SortField(CREATED, SortField.Type.LONG)));
            var out = new ArrayList<MemoryItem>();
            for (ScoreDoc sd : docs.scoreDocs) out.add(MemoryJson.read(json(searcher, sd.doc), MemoryItem.class));
            return out;
        });
    }

    @Override
    public List<Hit> keywordSearch(String query, SearchFilter filter, int k) {
        Query text = textQuery(query);
        if (text == null || k <= 0) return List.of();
        Query q = new BooleanQuery.Builder().add(text, Occur.MUST).add(searchFilter(filter), Occur.FILTER).build();
        return hits(q, k, false);
    }

    @Override
    public List<Hit> vectorSearch(float[] queryVector, SearchFilter filter, int k) {
        if (k <= 0) return List.of();
        return hits(new KnnFloatVectorQuery(VECTOR, queryVector, k, searchFilter(filter)), k, true);
    }

    /** The port's rag search without its redundant work (see {@link FusedSearch}); same ranking. */
    @Override
    public List<Hit> fusedSearch(String query, float[] queryVector, SearchFilter filter, int depth, int k,
                                 BinaryOperator<List<Hit>> fuse) {
        if (depth <= 0 || k <= 0) return List.of();
        Query text = textQuery(query);
        return read(searcher -> new FusedSearch(searcher, VECTOR, JSON)
                .search(text, searchFilter(filter), queryVector, filter.scope(), depth, k, fuse));
    }

    /** Bytes held by the per-segment filter cache (tests and status). */
    long filterCacheBytes() { return filters.bytesUsed(); }

    private Query textQuery(String query) {
        return new QueryBuilder(analyzer).createBooleanQuery(CONTENT, query, Occur.SHOULD);
    }

    /** The item filter of a search, from the per-segment cache unless it names ids (rare and one-off). */
    private Query searchFilter(SearchFilter filter) {
        return filter.ids() == null ? filters.cached(itemFilter(filter)) : itemFilter(filter);
    }

    private List<Hit> hits(Query query, int k, boolean cosine) {
        return read(searcher -> {
            var docs = searcher.search(query, k);
            var out = new ArrayList<Hit>(docs.scoreDocs.length);
            for (ScoreDoc sd : docs.scoreDocs) {
                // Lucene scores DOT_PRODUCT as (1 + dot) / 2; hand back the cosine itself.
                double score = cosine ? 2.0 * sd.score - 1.0 : sd.score;
                out.add(new Hit(MemoryJson.read(json(searcher, sd.doc), MemoryItem.class), score));
            }
            return out;
        });
    }

    @Override
    public long countItems(SearchFilter filter, long sinceEpochMillis) {
        Query q = new BooleanQuery.Builder()
                .add(itemFilter(filter), Occur.FILTER)
                .add(LongPoint.newRangeQuery(CREATED, sinceEpochMillis + 1, Long.MAX_VALUE), Occur.FILTER).build();
        return read(searcher -> (long) searcher.count(q));
    }

    @Override
    public Map<String, Long> itemCountsByCategory() {
        return read(searcher -> {
            var counts = new TreeMap<String, Long>();
            for (ScoreDoc sd : searcher.search(kind(CATEGORY_KIND), Math.max(1, searcher.getIndexReader().maxDoc())).scoreDocs) {
                Category c = MemoryJson.read(json(searcher, sd.doc), Category.class);
                counts.merge(c.name(), (long) searcher.count(itemFilter(new SearchFilter(c.scope(), c.name()))), Long::sum);
            }
            return counts;
        });
    }

    // ---------------------------------------------------------------- categories

    @Override
    public void putCategory(Category category) {
        write(() -> writer.updateDocument(categoryUid(category), categoryDoc(category)));
    }

    @Override
    public Optional<Category> category(Scope scope, String name) {
        String n = Categories.normalize(name);
        return categoryJson(scope, n).map(json -> withCount(MemoryJson.read(json, Category.class)));
    }

    @Override
    public List<Category> categories(Scope scope) {
        return read(searcher -> {
            Query q = new BooleanQuery.Builder().add(kind(CATEGORY_KIND), Occur.FILTER)
                    .add(new TermQuery(new Term(SCOPE, scope.key())), Occur.FILTER).build();
            var out = new ArrayList<Category>();
            for (ScoreDoc sd : searcher.search(q, Math.max(1, searcher.getIndexReader().maxDoc())).scoreDocs) {
                out.add(withCount(MemoryJson.read(json(searcher, sd.doc), Category.class)));
            }
            out.sort(Comparator.comparing(Category::name));
            return out;
        });
    }

    private Category withCount(Category c) {
        return c.withItemCount(countItems(new SearchFilter(c.scope(), c.name()), Long.MIN_VALUE + 1));
    }

    private Optional<String> categoryJson(Scope scope, String name) {
        return byUid(CATEGORY_KIND, scope.key() + "/" + name);
    }

    private Term categoryUid(Category c) { return uid(CATEGORY_KIND, c.scope().key() + "/" + c.name()); }

    private Document categoryDoc(Category c) {
        var doc = base(CATEGORY_KIND, c.scope().key() + "/" + c.name(), c.scope());
        doc.add(new StringField(CATEGORY, c.name(), Field.Store.NO));
        doc.add(new StoredField(JSON, MemoryJson.write(c.withItemCount(0))));
        return doc;
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Waits until background segment merges have finished (bulk loads and benchmarks: a search that runs while
     * HNSW graphs are being merged competes with them for CPU and visits more, smaller segments).
     */
    public void awaitMerges() {
        if (writer.getConfig().getMergeScheduler() instanceof org.apache.lucene.index.ConcurrentMergeScheduler cms) {
            cms.sync();
        }
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new MemoryError("Cannot refresh the memory index in " + dataDir + ": " + e.getMessage());
        }
    }

    /** The number of documents of each kind (resources, items, categories), for status output. */
    public Map<String, Long> counts() {
        return read(searcher -> {
            var out = new LinkedHashMap<String, Long>();
            for (String k : List.of(RESOURCE, ITEM, CATEGORY_KIND)) out.put(k + "s", (long) searcher.count(kind(k)));
            return out;
        });
    }

    private static Document base(String kind, String id, Scope scope) {
        var doc = new Document();
        doc.add(new StringField(UID, kind + ":" + id, Field.Store.NO));
        doc.add(new StringField(KIND, kind, Field.Store.NO));
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new StringField(SCOPE, scope.key(), Field.Store.NO));
        return doc;
    }

    private static Term uid(String kind, String id) { return new Term(UID, kind + ":" + id); }

    private static Query kind(String kind) { return new TermQuery(new Term(KIND, kind)); }

    private static Query itemFilter(SearchFilter filter) {
        var b = new BooleanQuery.Builder().add(kind(ITEM), Occur.FILTER)
                .add(new TermQuery(new Term(SCOPE, filter.scope().key())), Occur.FILTER);
        if (filter.category() != null) b.add(new TermQuery(new Term(CATEGORY, filter.category())), Occur.FILTER);
        if (filter.ids() != null) b.add(new TermInSetQuery(ID, filter.ids().stream().map(BytesRef::new).toList()), Occur.FILTER);
        return b.build();
    }

    private Optional<String> byUid(String kind, String id) {
        return read(searcher -> {
            var docs = searcher.search(new TermQuery(uid(kind, id)), 1);
            return docs.scoreDocs.length == 0 ? Optional.<String>empty() : Optional.of(json(searcher, docs.scoreDocs[0].doc));
        });
    }

    private static String json(IndexSearcher searcher, int doc) throws IOException {
        return searcher.storedFields().document(doc).get(JSON);
    }

    private interface Write { void run() throws IOException; }

    private interface Read<T> { T apply(IndexSearcher searcher) throws IOException; }

    /** Applies a change, commits it (durable on return) and makes it visible to searches. */
    private void write(Write change) {
        try {
            change.run();
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new MemoryError("Cannot write to the memory index in " + dataDir + ": " + e.getMessage(),
                    "check free disk space and permissions", Map.of("dir", dataDir.toString()), true, e);
        }
    }

    private <T> T read(Read<T> query) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return query.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new MemoryError("Cannot read the memory index in " + dataDir + ": " + e.getMessage(),
                    "if this persists the index may be damaged; " + REINDEX_HINT, Map.of("dir", dataDir.toString()),
                    true, e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            journal.close();
            directory.close();
        } catch (IOException e) {
            throw new MemoryError("Cannot close the memory index in " + dataDir + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(IndexWriter writer, Directory directory) {
        try {
            if (writer != null) writer.rollback();
        } catch (IOException | RuntimeException ignored) {
            // already failing: the first error is the one to report
        }
        try {
            if (directory != null) directory.close();
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Reads the embedding model an existing index records, if any (for status and reindex messages). */
    public static Optional<String> recordedModel(Path dataDir) {
        try (Directory d = FSDirectory.open(indexDir(dataDir))) {
            if (!DirectoryReader.indexExists(d)) return Optional.empty();
            return Optional.ofNullable(SegmentInfos.readLatestCommit(d).getUserData().get(KEY_MODEL));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

}
