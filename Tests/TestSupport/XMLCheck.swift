import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// An element seen by the strict XML parse: name, attributes and its own text.
public struct XMLElementRecord {
    public var name: String
    public var attributes: [String: String]
    public var text: String
}

/// Parses `text` as XML with Foundation's `XMLParser` (libxml2 SAX); fails the test with the
/// parser's error when it is not well-formed. Returns the elements in document order.
public func parseXML(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [XMLElementRecord] {
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = collector
    let ok = parser.parse()
    XCTAssertTrue(ok && parser.parserError == nil, "not well-formed XML: \(String(describing: parser.parserError))",
                  file: file, line: line)
    return collector.elements
}

/// Runs `/usr/bin/python3 -c 'xml.etree.ElementTree.parse(...)'` on the file; nil when python
/// is missing, else whether it parsed.
public func pythonParsesXML(atPath path: String) -> Bool? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])", path]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [XMLElementRecord] = []
    var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(XMLElementRecord(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }
}
