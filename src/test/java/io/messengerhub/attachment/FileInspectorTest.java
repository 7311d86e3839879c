package io.messengerhub.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class FileInspectorTest {

    @Test
    void shouldKeepOnlyASafeDisplayNameFromHostileNames() {
        assertThat(FileInspector.displayName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileInspector.displayName("..\\..\\windows\\system32\\cmd.exe")).isEqualTo("cmd.exe");
        assertThat(FileInspector.displayName("evil\r\nname\u0000.txt")).isEqualTo("evilname.txt");
        assertThat(FileInspector.displayName("...hidden")).isEqualTo("hidden");
        assertThat(FileInspector.displayName("/")).isNull();
        assertThat(FileInspector.displayName("a".repeat(300) + ".pdf")).hasSize(200).endsWith(".pdf");
    }

    @Test
    void shouldTakeTheLastExtensionInLowerCase() {
        assertThat(FileInspector.extensionOf("report.final.PDF")).isEqualTo("pdf");
        assertThat(FileInspector.extensionOf("archive.")).isNull();
        assertThat(FileInspector.extensionOf("noextension")).isNull();
    }

    @Test
    void shouldTreatInternalAddressesAsInternal() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"}) {
            assertThat(SafeDownloader.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[] {"157.240.1.35", "31.13.64.1", "2a03:2880:f003:c07:face:b00c::2"}) {
            assertThat(SafeDownloader.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
    }

    /**
     * The check sits in the HTTP client's own name resolution: what it returns is what the client connects to, so
     * there is no second lookup a rebinding DNS server could answer differently.
     */
    @Test
    void shouldRefuseInternalAddressesWhereTheHttpClientResolvesNames() throws Exception {
        var strict = new SafeDownloader.CheckingResolver(new AttachmentPolicy.Download(java.util.List.of("localhost"), java.util.List.of(), 1000, 1000));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strict.resolve("localhost"))
                .isInstanceOf(SafeDownloader.InternalAddressException.class).hasMessageStartingWith("localhost resolves to 127.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strict.resolve("169.254.169.254"))
                .isInstanceOf(SafeDownloader.InternalAddressException.class);
        var trusting = new SafeDownloader.CheckingResolver(new AttachmentPolicy.Download(java.util.List.of("localhost"),
                java.util.List.of("localhost"), 1000, 1000));
        assertThat(trusting.resolve("localhost")).allMatch(InetAddress::isLoopbackAddress);
    }
}
