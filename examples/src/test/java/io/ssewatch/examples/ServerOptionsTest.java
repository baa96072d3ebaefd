package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerOptionsTest {

    @Test
    void parse_noArguments_defaults() {
        ServerOptions options = ServerOptions.parse();

        assertThat(options).isEqualTo(ServerOptions.defaults());
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.adapter()).isEqualTo("jetty");
        assertThat(options.store()).isEqualTo("memory");
        assertThat(options.demo()).isFalse();
        assertThat(options.help()).isFalse();
    }

    @Test
    void parse_everyOption() {
        ServerOptions options = ServerOptions.parse("--host", "0.0.0.0", "--port", "9090",
                "--adapter", "jetty", "--store", "memory", "--demo");

        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.demo()).isTrue();
        assertThat(options.help()).isFalse();
    }

    @Test
    void parse_equalsForm() {
        ServerOptions options = ServerOptions.parse("--port=0", "--host=::1", "--store=memory");

        assertThat(options.port()).isZero();
        assertThat(options.host()).isEqualTo("::1");
    }

    @Test
    void parse_help() {
        assertThat(ServerOptions.parse("--help").help()).isTrue();
        assertThat(ServerOptions.parse("-h").help()).isTrue();
        assertThat(ServerOptions.USAGE).contains("--port N", "--demo", "--adapter", "--store");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--prot 80       | unknown option \"--prot\" (expected one of --host, --port",
        "8080            | unknown option \"8080\"",
        "--port          | --port needs a value (expected: --port 8080)",
        "--port abc      | --port: \"abc\" is invalid (expected: a TCP port from 0 to 65535",
        "--port 65536    | --port: \"65536\" is invalid",
        "--port -1       | --port: \"-1\" is invalid",
        "--port=         | --port: \"\" is invalid",
        "--adapter undertow | --adapter: \"undertow\" is not supported (expected: jetty",
        "--store fdb     | --store: \"fdb\" is not supported (expected: memory",
        "--demo=yes      | --demo takes no value, but got \"yes\"",
        "--host=         | --host: \"\" is empty",
    })
    void parse_invalid_namesValueAndFix(String args, String message) {
        assertThatThrownBy(() -> ServerOptions.parse(args.split(" ")))
                .isInstanceOf(ServerOptions.InvalidOptionException.class)
                .hasMessageContaining(message);
    }
}
