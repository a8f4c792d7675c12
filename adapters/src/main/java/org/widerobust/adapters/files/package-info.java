/**
 * Files on disk: {@link org.widerobust.adapters.files.AtomicFiles} is the one home of writing a file atomically
 * (a temporary sibling, fsync, atomic rename, permissions from the umask), of cleaning up the temporaries a killed
 * write left behind, and of checking before expensive work that an output path can be written.
 */
package org.widerobust.adapters.files;
