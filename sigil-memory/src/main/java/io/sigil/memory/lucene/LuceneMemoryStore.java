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
import io.sigil.memory.retrieval.KeywordText;
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
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.ReaderUtil;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * The embedded memory store: one Lucene index under {@code <dataDir>/index} holding resources, items (BM25 text
 * with the English analyzer, an HNSW vector each) and categories, plus {@code <dataDir>/resources.jsonl}.
 *
 * <p>A write returns once it is forced to the {@link WriteAheadLog} (one group-committed fsync shared by
 * concurrent writers); the {@link BackgroundIndexer} then applies writes in batches (one embedding call for the
 * items of a batch), refreshes the near-real-time {@link SearcherManager} (searches see the writes from then on,
 * within the refresh interval; {@link #flush()} waits for it) and commits Lucene about once a second. Each commit
 * records the last log sequence it holds, so opening replays the log after it: a crash loses no write that
 * returned. Each commit also records the embedding model and dimension; opening with another embedder fails with
 * a hint to run {@code sigil memory reindex}, because vectors of different models cannot be compared.
 */
public final class LuceneMemoryStore implements MemoryStore {
    static final String FORMAT = "1";
    static final String KEY_MODEL = "embedding_model";
    static final String KEY_DIMENSION = "embedding_dimension";
    static final String KEY_FORMAT = "sigil_memory_format";
    static final String KEY_LOG_SEQ = "sigil_log_seq";
    /** Default delay before written items are searchable (memory.index_refresh_ms). */
    public static final long DEFAULT_REFRESH_MILLIS = 100;
    static final long COMMIT_MILLIS = 1000;
    private static final long LOG_SEGMENT_BYTES = 64L << 20;
    /** The fewest nearest neighbours a vector search explores, whatever k it returns. */
    static final int MIN_VECTOR_CANDIDATES = 50;
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
    /** Replaced when a failed write (a full disk) closed it: see {@link IndexTarget#reopenIfClosed}. */
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    private final ResourceJournal journal;
    private final WriteAheadLog log;
    private final BackgroundIndexer indexer;
    /** Set while the write-ahead log refuses appends (a full disk), cleared by the next one that succeeds. */
    private volatile String logProblem;
    /** Log order and submission order must agree: appends and submits happen together under this lock. */
    private final Object writeOrder = new Object();
    /** Scope and category filter bit sets per segment: 64 MB is about 100 filters over 5M documents. */
    private final ItemFilterCache filters = new ItemFilterCache(64L << 20);

    private LuceneMemoryStore(Path dataDir, Embedder embedder, Directory directory, IndexWriter writer,
                              ResourceJournal journal, WriteAheadLog log, long committedSeq, long refreshMillis,
                              long commitMillis) throws IOException {
        this.dataDir = dataDir;
        this.embedder = embedder;
        this.directory = directory;
        this.writer = writer;
        this.journal = journal;
        this.log = log;
        this.searchers = new SearcherManager(writer, new SearcherFactory());
        this.indexer = new BackgroundIndexer(new IndexTarget(), embedder, refreshMillis, commitMillis, committedSeq,
                "sigil-memory-indexer");
    }

    /** Opens (or creates) the store in {@code dataDir}; fails if the index was built with another model or is damaged. */
    public static LuceneMemoryStore open(Path dataDir, Embedder embedder) {
        return open(dataDir, embedder, DEFAULT_REFRESH_MILLIS);
    }

    /**
     * As {@link #open(Path, Embedder)}, with writes becoming searchable at most {@code refreshMillis} after they
     * return (0: as soon as the indexer gets to them).
     */
    public static LuceneMemoryStore open(Path dataDir, Embedder embedder, long refreshMillis) {
        return open(dataDir, embedder, refreshMillis, COMMIT_MILLIS);
    }

    static LuceneMemoryStore open(Path dataDir, Embedder embedder, long refreshMillis, long commitMillis) {
        LuceneReindexer.recoverInterruptedSwap(dataDir);
        return openAt(dataDir, embedder, indexDir(dataDir), journalFile(dataDir), refreshMillis, commitMillis);
    }

    static Path indexDir(Path dataDir) { return dataDir.resolve("index"); }

    static Path journalFile(Path dataDir) { return dataDir.resolve("resources.jsonl"); }

    /** The write-ahead log lives inside the index directory, so reindexing's directory swap moves it along. */
    static Path logDir(Path indexDir) { return indexDir.resolve("wal"); }

    static LuceneMemoryStore openAt(Path dataDir, Embedder embedder, Path indexDir, Path journalFile,
                                    long refreshMillis, long commitMillis) {
        Directory directory = null;
        IndexWriter writer = null;
        WriteAheadLog log = null;
        try {
            Files.createDirectories(indexDir);
            directory = FSDirectory.open(indexDir);
            if (DirectoryReader.indexExists(directory)) checkCommit(indexDir, SegmentInfos.readLatestCommit(directory), embedder);
            writer = new IndexWriter(directory, writerConfig());
            long committedSeq = committedSeq(writer);
            writer.setLiveCommitData(commitData(embedder, committedSeq));
            if (!DirectoryReader.indexExists(directory)) writer.commit();
            log = WriteAheadLog.open(logDir(indexDir), committedSeq, LOG_SEGMENT_BYTES);
            var store = new LuceneMemoryStore(dataDir, embedder, directory, writer, new ResourceJournal(journalFile),
                    log, committedSeq, refreshMillis, commitMillis);
            try {
                store.replay(log.recovered());
            } catch (RuntimeException e) {
                store.crash(); // stop its indexer and release the index; the log stays as it is
                throw e;
            }
            return store;
        } catch (MemoryError e) {
            closeQuietly(log);
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
            closeQuietly(log);
            closeQuietly(writer, directory);
            if (e.getCause() instanceof CorruptIndexException c) throw corrupted(indexDir, c);
            throw new MemoryError("Cannot open the memory index " + indexDir + ": " + e.getMessage(),
                    "check that the directory is writable; if the index is damaged, " + REINDEX_HINT,
                    Map.of("dir", indexDir.toString()), false, e);
        }
    }

    private static IndexWriterConfig writerConfig() {
        return new IndexWriterConfig(new EnglishAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64);
    }

    private static long committedSeq(IndexWriter writer) {
        for (var e : writer.getLiveCommitData() == null ? List.<Map.Entry<String, String>>of() : writer.getLiveCommitData()) {
            if (e.getKey().equals(KEY_LOG_SEQ)) return Long.parseLong(e.getValue());
        }
        return 0;
    }

    private static Iterable<Map.Entry<String, String>> commitData(Embedder embedder, long logSeq) {
        return Map.of(KEY_MODEL, embedder.model(), KEY_DIMENSION, Integer.toString(embedder.dimension()),
                KEY_FORMAT, FORMAT, KEY_LOG_SEQ, Long.toString(logSeq)).entrySet();
    }

    /** Re-applies the writes a crash left in the log only, and waits until they are searchable. */
    private void replay(List<WriteAheadLog.Entry> entries) {
        if (entries.isEmpty()) return;
        for (var entry : entries) {
            IndexOp op;
            try {
                op = IndexOp.decode(entry.payload());
            } catch (RuntimeException e) {
                throw new MemoryError("The memory write-ahead log in " + dataDir + " has an unreadable record (sequence "
                        + entry.seq() + "): " + e.getMessage(), "it was written by another Sigil version or is damaged; "
                        + REINDEX_HINT, Map.of("dir", dataDir.toString()), false, e);
            }
            indexer.submit(entry.seq(), op);
        }
        indexer.flush();
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
                    (embedder.model().equals(io.sigil.config.Settings.Memory.DEFAULTS.embeddingModel())
                            ? "the default embedding model is now " + embedder.model() + "; " : "")
                            + REINDEX_HINT + ", or set memory.embedding_model back to " + model,
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
        write(new IndexOp.PutResource(resource));
    }

    private void indexResource(Resource resource) throws IOException {
        journal.append(resource);
        var doc = base(RESOURCE, resource.id(), resource.scope());
        doc.add(new StoredField(JSON, MemoryJson.write(resource)));
        doc.add(new NumericDocValuesField(CREATED, resource.createdAt().toEpochMilli()));
        doc.add(new LongPoint(CREATED, resource.createdAt().toEpochMilli()));
        writer.updateDocument(uid(RESOURCE, resource.id()), doc);
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

    /** Logs the items; the indexer embeds them (one call per batch) before indexing. */
    @Override
    public void putItems(List<MemoryItem> items) {
        if (items.isEmpty()) return;
        write(IndexOp.PutItems.of(items, null));
    }

    @Override
    public void putItems(List<MemoryItem> items, List<float[]> vectors) {
        if (items.size() != vectors.size()) throw new IllegalArgumentException("one vector per item");
        if (items.isEmpty()) return;
        for (float[] v : vectors) {
            if (v.length != embedder.dimension()) {
                throw new IllegalArgumentException("vector of " + v.length + " dimensions, index has " + embedder.dimension());
            }
        }
        write(IndexOp.PutItems.of(items, vectors));
    }

    /**
     * Indexes items and creates the record of each category that has none yet ({@code written}: the categories
     * this batch already wrote, which searches cannot see before the refresh).
     */
    private void indexItems(List<MemoryItem> items, List<float[]> vectors, Set<String> written) throws IOException {
        for (int i = 0; i < items.size(); i++) {
            MemoryItem item = items.get(i);
            writer.updateDocument(uid(ITEM, item.id()), itemDoc(item, vectors.get(i)));
            var c = new Category(item.category(), Categories.describe(item.category()), "", 0, null, item.scope());
            if (written.add(categoryUid(c).text()) && categoryJson(c.scope(), c.name()).isEmpty()) {
                writer.updateDocument(categoryUid(c), categoryDoc(c));
            }
        }
    }

    private Document itemDoc(MemoryItem item, float[] vector) {
        var doc = base(ITEM, item.id(), item.scope());
        doc.add(new StringField(CATEGORY, item.category(), Field.Store.NO));
        doc.add(new TextField(CONTENT, KeywordText.of(item), Field.Store.NO)); // content, speaker, date, context
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

    /** Read from the index as written (float32, not quantized), so a copy holds the very same vectors. */
    @Override
    public Map<String, float[]> storedVectors(List<String> ids) {
        return read(searcher -> {
            var out = new LinkedHashMap<String, float[]>();
            for (String id : ids) {
                var docs = searcher.search(new TermQuery(uid(ITEM, id)), 1);
                if (docs.scoreDocs.length == 0) continue;
                float[] v = vectorOf(searcher, docs.scoreDocs[0].doc);
                if (v != null) out.put(id, v);
            }
            return out;
        });
    }

    private static float[] vectorOf(IndexSearcher searcher, int doc) throws IOException {
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (values == null) return null;
        var it = values.iterator();
        int local = doc - leaf.docBase;
        return it.advance(local) == local ? values.vectorValue(it.index()).clone() : null;
    }

    @Override
    public boolean deleteItem(String id) {
        flush(); // the answer must account for writes still on their way to the index
        if (item(id).isEmpty()) return false;
        write(new IndexOp.DeleteItem(id));
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
        // HNSW explores about as many candidates as it is asked for: asking for 10 (or 1, for the duplicate check)
        // misses true neighbours that a search for 50 finds (dev-set recall@10 0.41-0.44 against 0.46-0.47).
        int candidates = Math.max(k, MIN_VECTOR_CANDIDATES);
        return hits(new KnnFloatVectorQuery(VECTOR, queryVector, candidates, searchFilter(filter)), k, true);
    }

    /** The port's rag search without its redundant work (see {@link FusedSearch}); same ranking. */
    @Override
    public List<Hit> fusedSearch(String query, float[] queryVector, SearchFilter filter, int depth, int k,
                                 BinaryOperator<List<Hit>> fuse) {
        if (depth <= 0 || k <= 0) return List.of();
        Query text = textQuery(query);
        return read(searcher -> new FusedSearch(searcher, VECTOR, JSON, CREATED)
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
        write(new IndexOp.PutCategory(category));
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
        flush();
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

    private interface Read<T> { T apply(IndexSearcher searcher) throws IOException; }

    /** Logs a write and returns once it is on disk; the indexer makes it searchable shortly after. */
    private void write(IndexOp op) {
        byte[] payload = op.encode();
        try {
            long seq;
            synchronized (writeOrder) {
                try {
                    seq = log.append(payload);
                } catch (io.sigil.errors.StorageFullError full) {
                    logProblem = "no space left on the device for the memory write-ahead log in " + dataDir;
                    throw full;
                }
                logProblem = null;
                indexer.submit(seq, op);
            }
            log.sync(seq);
        } catch (IOException e) {
            throw new MemoryError("Cannot write to the memory log in " + dataDir + ": " + e.getMessage(),
                    "check free disk space and permissions", Map.of("dir", dataDir.toString()), true, e);
        }
    }

    /** Waits until every write that returned before this call is visible to searches. */
    @Override
    public void flush() { indexer.flush(); }

    /** How the background indexer applies logged writes to this index. */
    private final class IndexTarget implements BackgroundIndexer.Target {
        @Override
        public void apply(List<IndexOp> ops) throws IOException {
            var categoriesWritten = new HashSet<String>();
            for (IndexOp op : ops) {
                switch (op) {
                    case IndexOp.PutResource r -> indexResource(r.resource());
                    case IndexOp.PutItems p -> indexItems(p.items(), p.floatVectors(), categoriesWritten);
                    case IndexOp.DeleteItem d -> writer.deleteDocuments(uid(ITEM, d.id()));
                    case IndexOp.PutCategory c -> {
                        writer.updateDocument(categoryUid(c.category()), categoryDoc(c.category()));
                        categoriesWritten.add(categoryUid(c.category()).text());
                    }
                }
            }
        }

        @Override
        public float[] indexedVector(MemoryItem item) {
            return read(searcher -> {
                var docs = searcher.search(new TermQuery(uid(ITEM, item.id())), 1);
                if (docs.scoreDocs.length == 0) return null;
                int doc = docs.scoreDocs[0].doc;
                if (!MemoryJson.read(json(searcher, doc), MemoryItem.class).content().equals(item.content())) return null;
                return vectorOf(searcher, doc);
            });
        }

        @Override
        public void refresh() throws IOException { searchers.maybeRefreshBlocking(); }

        @Override
        public void commit(long appliedSeq) throws IOException {
            journal.force();
            writer.setLiveCommitData(commitData(embedder, appliedSeq));
            writer.commit();
            log.truncateThrough(appliedSeq);
        }

        /**
         * Lucene closes its writer for good after some failed writes (a full disk during a flush or merge): open
         * a new one on the last commit and new searchers over it, so the store recovers without a restart.
         */
        @Override
        public long reopenIfClosed() throws IOException {
            if (writer.isOpen()) return -1;
            IndexWriter fresh = new IndexWriter(directory, writerConfig());
            long seq = committedSeq(fresh);
            fresh.setLiveCommitData(commitData(embedder, seq));
            SearcherManager old = searchers;
            searchers = new SearcherManager(fresh, new SearcherFactory());
            writer = fresh;
            closeQuietly(old);
            return seq;
        }

        @Override
        public List<BackgroundIndexer.Pending> loggedAfter(long seq) throws IOException {
            var out = new ArrayList<BackgroundIndexer.Pending>();
            for (var entry : log.readAfter(seq)) out.add(new BackgroundIndexer.Pending(entry.seq(), IndexOp.decode(entry.payload())));
            return out;
        }
    }

    /** Why writes cannot be indexed now (a full disk, the embedder failing), empty while they can: for /health. */
    @Override
    public Optional<String> writeProblem() {
        String refused = logProblem;
        if (refused != null) return Optional.of(refused);
        Optional<String> indexing = indexer.problem();
        if (indexing.isPresent()) return indexing;
        // Between a refused write and the next one the log and the indexer may both look fine (a retry that fit into
        // space a failed flush gave back): a device this close to full refuses the next write, so say so now.
        try {
            long usable = Files.getFileStore(dataDir).getUsableSpace();
            if (usable < LOW_SPACE_BYTES) {
                return Optional.of("no space left on the device of the memory index in " + dataDir + " (" + (usable >> 10)
                        + " KiB free)");
            }
        } catch (IOException e) {
            return Optional.of("cannot read the free space of " + dataDir + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Below this much free space on its device, memory reports that it cannot take writes (a write log segment). */
    static final long LOW_SPACE_BYTES = 1L << 20;

    private <T> T read(Read<T> query) {
        try {
            try {
                return readOnce(query);
            } catch (org.apache.lucene.store.AlreadyClosedException replaced) {
                return readOnce(query); // the searchers were replaced with the writer (reopenIfClosed): use the new ones
            }
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw new io.sigil.errors.StateError("The memory index in " + dataDir + " is reopening after a failed write: " + e.getMessage(),
                    "retry shortly; if the disk is full, free space (the index recovers by itself)",
                    Map.of("dir", dataDir.toString()), true, e);
        } catch (IOException e) {
            throw new MemoryError("Cannot read the memory index in " + dataDir + ": " + e.getMessage(),
                    "if this persists the index may be damaged; " + REINDEX_HINT, Map.of("dir", dataDir.toString()),
                    true, e);
        }
    }

    private <T> T readOnce(Read<T> query) throws IOException {
        SearcherManager current = searchers;
        IndexSearcher searcher = current.acquire();
        try {
            return query.apply(searcher);
        } finally {
            current.release(searcher);
        }
    }

    @Override
    public void close() {
        boolean drained = indexer.drainAndStop();
        try {
            searchers.close();
            if (drained) {
                writer.close();
            } else {
                writer.rollback(); // the log still holds what the index lacks; the next open replays it
            }
            log.close();
            journal.close();
            directory.close();
        } catch (IOException e) {
            throw new MemoryError("Cannot close the memory index in " + dataDir + ": " + e.getMessage());
        }
    }

    /** Closes the index writer, dropping what it had not committed, as Lucene does after a tragic failure (tests). */
    void closeWriterAsAFailedWriteWould() {
        try {
            writer.rollback();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops as a crash would (tests): the indexer stops where it is, uncommitted index changes are dropped, and
     * only what the log holds survives.
     */
    void crash() {
        indexer.abandon();
        try {
            searchers.close();
            writer.rollback();
            log.close();
            journal.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) closeable.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one to report
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
