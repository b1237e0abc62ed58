/**
 * What replicas of one deployment coordinate through (issue 19): session run leases and a message bus. Ports with
 * in-process adapters here; the Redis adapters are in {@code sigil-redis}.
 */
package io.sigil.cluster;
