#!/bin/sh
# Makes java-serialized-model.tribuo: a model file as widerobust 0.1 (commit 762011d) wrote it, with Java
# serialization, for the test that such a file gets a clear error. Run from the repository root.
set -e
here=plugin/src/test/resources/legacy
tmp=$(mktemp -d)
git archive 762011d --prefix=old/ | tar -x -C "$tmp"
(cd "$tmp/old" && mvn -B -o -q package -DskipTests)  # -Dmaven.repo.local=... as for any build
cp=$(ls "$tmp"/old/plugin/target/widerobust-plugin-*.jar | head -1):$(ls "$tmp"/old/plugin/target/lib/*.jar | tr '\n' ':')
for m in descriptors adapters datasets; do cp="$cp:$(ls "$tmp"/old/$m/target/widerobust-$m-*.jar | grep -v tests | head -1)"; done
java -cp "$cp" "$here/MakeLegacyModel.java" "$here/java-serialized-model.tribuo"
rm -rf "$tmp"
