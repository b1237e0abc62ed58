package io.sigil.memory.lucene;

import io.sigil.memory.Categories;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.sigil.memory.lucene.IndexSchema.CATEGORY_KIND;
import static io.sigil.memory.lucene.IndexSchema.CREATED;
import static io.sigil.memory.lucene.IndexSchema.ITEM;
import static io.sigil.memory.lucene.IndexSchema.RESOURCE;
import static io.sigil.memory.lucene.IndexSchema.SCOPE;
import static io.sigil.memory.lucene.IndexSchema.itemFilter;
import static io.sigil.memory.lucene.IndexSchema.json;
import static io.sigil.memory.lucene.IndexSchema.kind;

/** Reads of resources, items and categories by id, filter and time (everything but ranked searches). */
final class StoreReads {
    private final LiveIndex index;

    StoreReads(LiveIndex index) { this.index = index; }

    Optional<Resource> resource(String id) {
        return byUid(RESOURCE, id).map(json -> MemoryJson.read(json, Resource.class));
    }

    /** All resources, oldest first. */
    List<Resource> resources() {
        return index.read(searcher -> {
            var docs = searcher.search(kind(RESOURCE), Integer.MAX_VALUE, new Sort(new SortField(CREATED, SortField.Type.LONG)));
            var out = new ArrayList<Resource>();
            for (ScoreDoc sd : docs.scoreDocs) out.add(MemoryJson.read(json(searcher, sd.doc), Resource.class));
            return out;
        });
    }

    /** The items' vectors as indexed (float32, not quantized), so a copy holds the very same vectors. */
    Map<String, float[]> storedVectors(List<String> ids) {
        return index.read(searcher -> {
            var out = new LinkedHashMap<String, float[]>();
            var leaves = searcher.getIndexReader().leaves();
            for (String id : ids) {
                var docs = searcher.search(new TermQuery(IndexSchema.uid(ITEM, id)), 1);
                if (docs.scoreDocs.length == 0) continue;
                int doc = docs.scoreDocs[0].doc;
                var leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
                var values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
                if (values == null) continue;
                var it = values.iterator();
                int local = doc - leaf.docBase;
                if (it.advance(local) == local) out.put(id, values.vectorValue(it.index()).clone());
            }
            return out;
        });
    }

    Optional<MemoryItem> item(String id) {
        return byUid(ITEM, id).map(json -> MemoryJson.read(json, MemoryItem.class));
    }

    /** Up to {@code limit} items of the filter, newest first. */
    List<MemoryItem> items(SearchFilter filter, int limit) {
        if (limit <= 0) return List.of();
        return index.read(searcher -> {
            int n = Math.min(limit, Math.max(1, searcher.getIndexReader().maxDoc()));
            var docs = searcher.search(itemFilter(filter), n, new Sort(new SortField(CREATED, SortField.Type.LONG, true)));
            var out = new ArrayList<MemoryItem>();
            for (ScoreDoc sd : docs.scoreDocs) out.add(MemoryJson.read(json(searcher, sd.doc), MemoryItem.class));
            return out;
        });
    }

    /** Every item, oldest first. */
    List<MemoryItem> allItems() {
        return index.read(searcher -> {
            var docs = searcher.search(kind(ITEM), Math.max(1, searcher.getIndexReader().maxDoc()),
                    new Sort(new SortField(CREATED, SortField.Type.LONG)));
            var out = new ArrayList<MemoryItem>();
            for (ScoreDoc sd : docs.scoreDocs) out.add(MemoryJson.read(json(searcher, sd.doc), MemoryItem.class));
            return out;
        });
    }

    long countItems(SearchFilter filter, long sinceEpochMillis) {
        Query q = new BooleanQuery.Builder()
                .add(itemFilter(filter), Occur.FILTER)
                .add(LongPoint.newRangeQuery(CREATED, sinceEpochMillis + 1, Long.MAX_VALUE), Occur.FILTER).build();
        return index.read(searcher -> (long) searcher.count(q));
    }

    Map<String, Long> itemCountsByCategory() {
        return index.read(searcher -> {
            var counts = new TreeMap<String, Long>();
            for (ScoreDoc sd : searcher.search(kind(CATEGORY_KIND), Math.max(1, searcher.getIndexReader().maxDoc())).scoreDocs) {
                Category c = MemoryJson.read(json(searcher, sd.doc), Category.class);
                counts.merge(c.name(), (long) searcher.count(itemFilter(new SearchFilter(c.scope(), c.name()))), Long::sum);
            }
            return counts;
        });
    }

    Optional<Category> category(Scope scope, String name) {
        String n = Categories.normalize(name);
        return categoryJson(scope, n).map(json -> withCount(MemoryJson.read(json, Category.class)));
    }

    /** The categories of a scope by name, each with its current item count. */
    List<Category> categories(Scope scope) {
        return index.read(searcher -> {
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

    /** The stored record of a category, as searches see it now. */
    Optional<String> categoryJson(Scope scope, String name) {
        return byUid(CATEGORY_KIND, IndexSchema.categoryKey(scope, name));
    }

    /** The number of documents of each kind (resources, items, categories), for status output. */
    Map<String, Long> counts() {
        return index.read(searcher -> {
            var out = new LinkedHashMap<String, Long>();
            for (String k : List.of(RESOURCE, ITEM, CATEGORY_KIND)) out.put(k + "s", (long) searcher.count(kind(k)));
            return out;
        });
    }

    private Optional<String> byUid(String kind, String id) {
        return index.read(searcher -> {
            var docs = searcher.search(new TermQuery(IndexSchema.uid(kind, id)), 1);
            return docs.scoreDocs.length == 0 ? Optional.<String>empty() : Optional.of(json(searcher, docs.scoreDocs[0].doc));
        });
    }
}
