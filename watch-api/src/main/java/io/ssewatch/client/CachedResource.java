package io.ssewatch.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One resource as the cache keeps it: the JSON tree, which the cache compares to detect
 * changes in a fresh snapshot, and the value that listeners see, which is the same tree
 * unless the client maps resources to a class.
 */
record CachedResource<T>(String id, JsonNode tree, T value) {
}
