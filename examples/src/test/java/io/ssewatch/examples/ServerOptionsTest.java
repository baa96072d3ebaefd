package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerOptionsTest {

    @TempDir
    Path dir;

    @Test
    void parse_noArguments_defaults() {
        ServerOptions options = ServerOptions.parse();

        assertThat(options).isEqualTo(ServerOptions.defaults());
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.adapter()).isEqualTo("jetty");
        assertThat(options.store()).isEqualTo("memory");
        assertThat(options.clusterFile()).isNull();
        assertThat(options.demo()).isFalse();
        assertThat(options.help()).isFalse();
    }

    @Test
    void parse_everyOption() {
        ServerOptions options = ServerOptions.parse("--host", "0.0.0.0", "--port", "9090",
                "--adapter", "undertow", "--store", "memory", "--demo");

        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.adapter()).isEqualTo("undertow");
        assertThat(options.store()).isEqualTo("memory");
        assertThat(options.demo()).isTrue();
        assertThat(options.help()).isFalse();
    }

    @Test
    void parse_corsOriginsAndHttp2() {
        ServerOptions options = ServerOptions.parse("--cors-origin", "https://console.example",
                "--cors-origin=*", "--http2");

        assertThat(options.corsOrigins()).containsExactly("https://console.example", "*");
        assertThat(options.corsPolicy().allows("https://other.example")).isTrue();
        assertThat(options.http2()).isTrue();
        assertThat(ServerOptions.defaults().corsPolicy()).isNull();
        assertThat(ServerOptions.defaults().http2()).isFalse();
    }

    @Test
    void parse_equalsForm() {
        ServerOptions options = ServerOptions.parse("--port=0", "--host=::1", "--store=memory");

        assertThat(options.port()).isZero();
        assertThat(options.host()).isEqualTo("::1");
    }

    @Test
    void parse_adapterJetty() {
        assertThat(ServerOptions.parse("--adapter", "jetty").adapter()).isEqualTo("jetty");
    }

    @Test
    void parse_fdbWithClusterFile() throws IOException {
        Path clusterFile = Files.writeString(dir.resolve("fdb.cluster"), "test:test@127.0.0.1:1");

        ServerOptions options = ServerOptions.parse("--store", "fdb", "--cluster-file",
                clusterFile.toString());

        assertThat(options.store()).isEqualTo("fdb");
        assertThat(options.clusterFile()).isEqualTo(clusterFile.toString());
    }

    @Test
    void parse_fdbClusterFileMissing_namesPath() {
        String missing = dir.resolve("missing.cluster").toString();

        assertThatThrownBy(() -> ServerOptions.parse("--store=fdb", "--cluster-file=" + missing))
                .isInstanceOf(ServerOptions.InvalidOptionException.class)
                .hasMessage("--cluster-file: \"" + missing + "\" does not exist (expected: the "
                        + "readable cluster file of a FoundationDB cluster, such as "
                        + "/etc/foundationdb/fdb.cluster)");
    }

    @Test
    void parse_fdbClusterFileDirectory_notRegularFile() {
        assertThatThrownBy(() -> ServerOptions.parse("--store", "fdb", "--cluster-file",
                dir.toString()))
                .isInstanceOf(ServerOptions.InvalidOptionException.class)
                .hasMessageContaining("--cluster-file: \"" + dir + "\" is not a regular file");
    }

    @Test
    void parse_fdbWithoutClusterFile_namesOption() {
        assertThatThrownBy(() -> ServerOptions.parse("--store", "fdb"))
                .isInstanceOf(ServerOptions.InvalidOptionException.class)
                .hasMessage("--store fdb needs a cluster file (expected: --store fdb "
                        + "--cluster-file PATH, such as --cluster-file "
                        + "/etc/foundationdb/fdb.cluster)");
    }

    @Test
    void parse_clusterFileWithoutFdb_namesStore() throws IOException {
        Path clusterFile = Files.writeString(dir.resolve("fdb.cluster"), "test:test@127.0.0.1:1");

        assertThatThrownBy(() -> ServerOptions.parse("--cluster-file", clusterFile.toString()))
                .isInstanceOf(ServerOptions.InvalidOptionException.class)
                .hasMessage("--cluster-file: \"" + clusterFile + "\" is only used by --store "
                        + "fdb, but the store is \"memory\" (expected: --store fdb "
                        + "--cluster-file PATH, or no --cluster-file)");
    }

    @Test
    void usage_listsAdaptersAndStores() {
        assertThat(ServerOptions.USAGE).contains(
                "--adapter NAME   HTTP server: jetty (default) or undertow",
                "--store NAME     store: memory (default; data is lost on exit) or fdb",
                "--cluster-file PATH");
    }

    @Test
    void parse_help() {
        assertThat(ServerOptions.parse("--help").help()).isTrue();
        assertThat(ServerOptions.parse("-h").help()).isTrue();
        assertThat(ServerOptions.USAGE).contains("--port N", "--demo", "--adapter", "--store",
                "--cors-origin ORIGIN", "--http2");
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
        "--adapter tomcat | --adapter: \"tomcat\" is not supported (expected one of: jetty, und",
        "--adapter       | --adapter needs a value (expected: --adapter undertow)",
        "--store redis   | --store: \"redis\" is not supported (expected one of: memory, fdb)",
        "--cluster-file  | --cluster-file needs a value (expected: --cluster-file /etc/",
        "--demo=yes      | --demo takes no value, but got \"yes\"",
        "--host=         | --host: \"\" is empty",
        "--cors-origin console.example | --cors-origin: origin: \"console.example\" (expected: "
                + "scheme://host[:port]",
        "--cors-origin   | --cors-origin needs a value (expected: --cors-origin https://",
        "--http2=yes     | --http2 takes no value, but got \"yes\"",
    })
    void parse_invalid_namesValueAndFix(String args, String message) {
        assertThatThrownBy(() -> ServerOptions.parse(args.split(" ")))
                .isInstanceOf(ServerOptions.InvalidOptionException.class)
                .hasMessageContaining(message);
    }
}
