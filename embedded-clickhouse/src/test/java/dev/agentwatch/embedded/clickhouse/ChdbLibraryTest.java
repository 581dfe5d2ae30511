package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChdbLibraryTest {

  @Test
  void missingExplicitLibraryFailsFastSayingWhatToSet(@TempDir Path dir) {
    Path missing = dir.resolve("nope/libchdb.so");
    assertThatThrownBy(() -> ChdbLibrary.resolve(Optional.of(missing), dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("AGENTWATCH_CHDB_LIBRARY");
  }

  @Test
  void existingExplicitLibraryIsUsedAsIs(@TempDir Path dir) throws Exception {
    Path library = Files.writeString(dir.resolve("libchdb.so"), "stub");
    assertThat(ChdbLibrary.resolve(Optional.of(library), dir.resolve("cache"))).isEqualTo(library);
  }

  @Test
  void cachedLibraryIsFoundUnderItsVersion(@TempDir Path cacheRoot) throws Exception {
    Path versionDir = Files.createDirectories(cacheRoot.resolve(ChdbLibrary.VERSION));
    Path cached = Files.writeString(versionDir.resolve("libchdb.so"), "stub");
    assertThat(ChdbLibrary.resolve(Optional.empty(), cacheRoot)).isEqualTo(cached);
  }

  @Test
  void digestsFilesAsLowercaseHex(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "abc");
    assertThat(FileDigest.hex(file, "SHA-256"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
