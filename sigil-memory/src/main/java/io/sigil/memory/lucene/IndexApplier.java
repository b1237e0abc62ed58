package io.sigil.memory.lucene;

import io.sigil.memory.Categories;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.sigil.memory.lucene.IndexSchema.ITEM;
import static io.sigil.memory.lucene.IndexSchema.RESOURCE;
import static io.sigil.memory.lucene.IndexSchema.VECTOR;
import static io.sigil.memory.lucene.IndexSchema.categoryDoc;
import static io.sigil.memory.lucene.IndexSchema.categoryUid;
import static io.sigil.memory.lucene.IndexSchema.json;
import static io.sigil.memory.lucene.IndexSchema.uid;

/**
 * How the {@link BackgroundIndexer} applies logged writes to the index: documents into the writer, resources into
 * the journal too, and commits that record the log sequence they hold so the log can be truncated behind them.
 */
final class IndexApplier implements BackgroundIndexer.Target {
    private final LiveIndex index;
    private final StoreReads reads;
    private final ResourceJournal journal;
    private final WriteAheadLog log;

    IndexApplier(LiveIndex index, StoreReads reads, ResourceJournal journal, WriteAheadLog log) {
        this.index = index;
        this.reads = reads;
        this.journal = journal;
        this.log = log;
    }

    @Override
    public void apply(List<IndexOp> ops) throws IOException {
        var categoriesWritten = new HashSet<String>();
        for (IndexOp op : ops) {
            switch (op) {
                case IndexOp.PutResource r -> indexResource(r.resource());
                case IndexOp.PutItems p -> indexItems(p.items(), p.floatVectors(), categoriesWritten);
                case IndexOp.DeleteItem d -> index.writer().deleteDocuments(uid(ITEM, d.id()));
                case IndexOp.PutCategory c -> {
                    index.writer().updateDocument(categoryUid(c.category()), categoryDoc(c.category()));
                    categoriesWritten.add(categoryUid(c.category()).text());
                }
            }
        }
    }

    private void indexResource(Resource resource) throws IOException {
        journal.append(resource);
        index.writer().updateDocument(uid(RESOURCE, resource.id()), IndexSchema.resourceDoc(resource));
    }

    /**
     * Indexes items and creates the record of each category that has none yet ({@code written}: the categories
     * this batch already wrote, which searches cannot see before the refresh).
     */
    private void indexItems(List<MemoryItem> items, List<float[]> vectors, Set<String> written) throws IOException {
        for (int i = 0; i < items.size(); i++) {
            MemoryItem item = items.get(i);
            index.writer().updateDocument(uid(ITEM, item.id()), IndexSchema.itemDoc(item, vectors.get(i)));
            var c = new Category(item.category(), Categories.describe(item.category()), "", 0, null, item.scope());
            if (written.add(categoryUid(c).text()) && reads.categoryJson(c.scope(), c.name()).isEmpty()) {
                index.writer().updateDocument(categoryUid(c), categoryDoc(c));
            }
        }
    }

    @Override
    public float[] indexedVector(MemoryItem item) {
        return index.read(searcher -> {
            var docs = searcher.search(new TermQuery(uid(ITEM, item.id())), 1);
            if (docs.scoreDocs.length == 0) return null;
            int doc = docs.scoreDocs[0].doc;
            if (!MemoryJson.read(json(searcher, doc), MemoryItem.class).content().equals(item.content())) return null;
            var leaves = searcher.getIndexReader().leaves();
            var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
            if (values == null) return null;
            var it = values.iterator();
            int local = doc - leaf.docBase;
            return it.advance(local) == local ? values.vectorValue(it.index()).clone() : null;
        });
    }

    @Override
    public void refresh() throws IOException { index.refresh(); }

    @Override
    public void commit(long appliedSeq) throws IOException {
        journal.force();
        index.commit(appliedSeq);
        log.truncateThrough(appliedSeq);
    }

    @Override
    public long reopenIfClosed() throws IOException { return index.reopenIfClosed(); }

    @Override
    public List<BackgroundIndexer.Pending> loggedAfter(long seq) throws IOException {
        var out = new ArrayList<BackgroundIndexer.Pending>();
        for (var entry : log.readAfter(seq)) out.add(new BackgroundIndexer.Pending(entry.seq(), IndexOp.decode(entry.payload())));
        return out;
    }
}
