package io.sigil.approval;

import io.sigil.events.EventStore;
import io.sigil.events.file.FileEventStore;

/** The approval scenario on the file event store; "another process" reopens the same directory. */
class FileApprovalTest extends ApprovalConformance {
    @Override
    protected EventStore openStore() { return FileEventStore.open(dir.resolve("state"), 10_000); }

    @Override
    protected EventStore reopen(EventStore old) {
        old.close();
        return FileEventStore.open(dir.resolve("state"), 10_000);
    }
}
