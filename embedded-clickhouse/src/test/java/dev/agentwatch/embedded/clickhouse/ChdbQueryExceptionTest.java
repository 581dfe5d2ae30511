package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChdbQueryExceptionTest {

  @Test
  void parsesTheCodeFromTheEngineMessage() {
    ChdbQueryException e =
        ChdbQueryException.fromEngineMessage("Code: 60. DB::Exception: Unknown table 't'. (UNKNOWN_TABLE)");
    assertThat(e.code()).isEqualTo(60);
    assertThat(e.getMessage()).isEqualTo("Code: 60. DB::Exception: Unknown table 't'. (UNKNOWN_TABLE)");
  }

  @Test
  void messageWithoutCodeIsUnknownException() {
    assertThat(ChdbQueryException.fromEngineMessage("something broke").code()).isEqualTo(1002);
  }

  @Test
  void builtErrorsHaveTheServerShape() {
    assertThat(ChdbQueryException.of(115, "UNKNOWN_SETTING", "Unknown setting 'x'").getMessage())
        .isEqualTo("Code: 115. DB::Exception: Unknown setting 'x'. (UNKNOWN_SETTING)");
  }
}
