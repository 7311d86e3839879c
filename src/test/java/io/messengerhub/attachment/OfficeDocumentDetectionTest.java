package io.messengerhub.attachment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Office documents are recognised by what their container holds, whatever program wrote them: Apache POI (the
 * library of many Java and server tools), and packages written with the parts in another order, as other producers
 * do (the content-types part is not always the first ZIP entry, which is all that magic-byte detection looks at).
 */
class OfficeDocumentDetectionTest {

    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final AttachmentPolicy POLICY = new AttachmentPolicy(true, true, 10_000_000, List.of("exe"),
            List.of(DOCX, XLSX, "application/vnd.ms-excel"), null);

    private final FileInspector inspector = new FileInspector();

    @TempDir
    Path dir;

    @Test
    void shouldRecogniseDocumentsWrittenByApachePoi() throws Exception {
        Path docx = dir.resolve("poi-file");
        try (var document = new XWPFDocument(); OutputStream out = Files.newOutputStream(docx)) {
            document.createParagraph().createRun().setText("Rechnung 2026-11");
            document.write(out);
        }
        Path xlsx = dir.resolve("poi-sheet");
        try (var workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            workbook.createSheet("Orders").createRow(0).createCell(0).setCellValue(42);
            workbook.write(out);
        }
        Path xls = dir.resolve("poi-legacy");
        try (var workbook = new HSSFWorkbook(); OutputStream out = Files.newOutputStream(xls)) {
            workbook.createSheet("Orders").createRow(0).createCell(0).setCellValue(42);
            workbook.write(out);
        }

        assertThat(inspector.inspect(docx, "file", "invoice.docx", POLICY)).isEqualTo(DOCX);
        assertThat(inspector.inspect(xlsx, "file", "orders.xlsx", POLICY)).isEqualTo(XLSX);
        assertThat(inspector.inspect(xls, "file", "orders.xls", POLICY)).isEqualTo("application/vnd.ms-excel");
    }

    @Test
    void shouldRecogniseAPackageWhoseContentTypesPartIsNotTheFirstEntry() throws Exception {
        Path docx = dir.resolve("other-order-doc");
        writePackage(docx, reversed(wordParts()));
        Path xlsx = dir.resolve("other-order-sheet");
        writePackage(xlsx, reversed(sheetParts()));

        assertThat(inspector.inspect(docx, "file", "letter.docx", POLICY)).isEqualTo(DOCX);
        assertThat(inspector.inspect(xlsx, "file", "figures.xlsx", POLICY)).isEqualTo(XLSX);
    }

    @Test
    void shouldStillRefuseAZipThatOnlyClaimsToBeADocument() throws Exception {
        Path zip = dir.resolve("plain-zip");
        writePackage(zip, Map.of("readme.txt", "not a document"));

        assertThatThrownBy(() -> inspector.inspect(zip, "file", "contract.docx", POLICY))
                .isInstanceOf(DownloadRefusedException.class).hasMessageContaining("application/zip");
        // A real document under another Office name is refused too: the name must fit what it is.
        Path docx = dir.resolve("named-as-sheet");
        writePackage(docx, wordParts());
        assertThatThrownBy(() -> inspector.inspect(docx, "file", "figures.xlsx", POLICY))
                .isInstanceOf(DownloadRefusedException.class).hasMessageContaining(DOCX);
    }

    private static Map<String, String> wordParts() {
        return officePackage("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                Map.of("word/document.xml", """
                        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hallo</w:t></w:r></w:p></w:body></w:document>"""));
    }

    private static Map<String, String> sheetParts() {
        var parts = new LinkedHashMap<String, String>();
        parts.put("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        parts.put("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
                </Relationships>""");
        parts.put("xl/worksheets/sheet1.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>""");
        return officePackage("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                parts);
    }

    /** A minimal OOXML package: its content types, the relationship to its main part, and the parts. */
    private static Map<String, String> officePackage(String mainPart, String mainContentType, Map<String, String> parts) {
        var all = new LinkedHashMap<String, String>();
        all.put("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/%s" ContentType="%s"/>
                </Types>""".formatted(mainPart, mainContentType));
        all.put("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/>
                </Relationships>""".formatted(mainPart));
        all.putAll(parts);
        return all;
    }

    private static Map<String, String> reversed(Map<String, String> parts) {
        var names = new java.util.ArrayList<>(parts.keySet());
        java.util.Collections.reverse(names);
        var reordered = new LinkedHashMap<String, String>();
        names.forEach(name -> reordered.put(name, parts.get(name)));
        return reordered;
    }

    private static void writePackage(Path file, Map<String, String> parts) throws IOException {
        try (var zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var part : parts.entrySet()) {
                zip.putNextEntry(new ZipEntry(part.getKey()));
                zip.write(part.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
