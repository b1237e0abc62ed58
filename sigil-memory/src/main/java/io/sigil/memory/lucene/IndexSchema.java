package io.sigil.memory.lucene;

import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.retrieval.KeywordText;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;

/**
 * The documents of the memory index and the queries that select them: one document per resource, item (BM25
 * text, an HNSW vector) and category, each with a unique {@code uid} ("kind:id") that updates replace by.
 */
final class IndexSchema {
    static final String UID = "uid";
    static final String KIND = "kind";
    static final String ID = "id";
    static final String SCOPE = "scope";
    static final String CATEGORY = "category";
    static final String CONTENT = "content";
    static final String JSON = "json";
    static final String CREATED = "created";
    static final String VECTOR = "vector";
    static final String RESOURCE = "resource";
    static final String ITEM = "item";
    static final String CATEGORY_KIND = "category";

    private IndexSchema() { }

    static Document resourceDoc(Resource resource) {
        var doc = base(RESOURCE, resource.id(), resource.scope());
        doc.add(new StoredField(JSON, MemoryJson.write(resource)));
        doc.add(new NumericDocValuesField(CREATED, resource.createdAt().toEpochMilli()));
        doc.add(new LongPoint(CREATED, resource.createdAt().toEpochMilli()));
        return doc;
    }

    static Document itemDoc(MemoryItem item, float[] vector) {
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

    /** A category's record; its item count is computed when read, so it is stored as 0. */
    static Document categoryDoc(Category c) {
        var doc = base(CATEGORY_KIND, categoryKey(c.scope(), c.name()), c.scope());
        doc.add(new StringField(CATEGORY, c.name(), Field.Store.NO));
        doc.add(new StoredField(JSON, MemoryJson.write(c.withItemCount(0))));
        return doc;
    }

    private static Document base(String kind, String id, Scope scope) {
        var doc = new Document();
        doc.add(new StringField(UID, kind + ":" + id, Field.Store.NO));
        doc.add(new StringField(KIND, kind, Field.Store.NO));
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new StringField(SCOPE, scope.key(), Field.Store.NO));
        return doc;
    }

    /** Categories are unique per scope: their id is "scope/name". */
    static String categoryKey(Scope scope, String name) { return scope.key() + "/" + name; }

    static Term categoryUid(Category c) { return uid(CATEGORY_KIND, categoryKey(c.scope(), c.name())); }

    static Term uid(String kind, String id) { return new Term(UID, kind + ":" + id); }

    static Query kind(String kind) { return new TermQuery(new Term(KIND, kind)); }

    /** Items of the filter's scope, and of its category and ids when it names them. */
    static Query itemFilter(SearchFilter filter) {
        var b = new BooleanQuery.Builder().add(kind(ITEM), Occur.FILTER)
                .add(new TermQuery(new Term(SCOPE, filter.scope().key())), Occur.FILTER);
        if (filter.category() != null) b.add(new TermQuery(new Term(CATEGORY, filter.category())), Occur.FILTER);
        if (filter.ids() != null) b.add(new TermInSetQuery(ID, filter.ids().stream().map(BytesRef::new).toList()), Occur.FILTER);
        return b.build();
    }

    static String json(IndexSearcher searcher, int doc) throws IOException {
        return searcher.storedFields().document(doc).get(JSON);
    }
}
