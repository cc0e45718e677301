@testable import BerthAPI
import BerthMetadata
import HTTPServer
import Testing

@Suite("Harbor API conventions")
struct HarborConventionsTests {
    @Test func parsesEveryTermForm() throws {
        let terms = try HarborQueryParser.parseQuery("name=~ngi%6Ex,tags=v1,push_time=[2024-01-01 00:00:00~],digest={a b c},size=[1~5]")
        #expect(terms == [
            ListingTerm(key: "name", condition: .fuzzy("nginx")),
            ListingTerm(key: "tags", condition: .equals("v1")),
            ListingTerm(key: "push_time", condition: .range("2024-01-01 00:00:00", nil)),
            ListingTerm(key: "digest", condition: .anyOf(["a", "b", "c"])),
            ListingTerm(key: "size", condition: .range("1", "5")),
        ])
    }

    @Test func commasInsideGroupsDoNotSplit() throws {
        let terms = try HarborQueryParser.parseQuery("name={a,b c},x=y")
        #expect(terms.count == 2)
        #expect(terms[0] == ListingTerm(key: "name", condition: .anyOf(["a,b", "c"])))
        #expect(try HarborQueryParser.parseQuery("name=a+b") == [ListingTerm(key: "name", condition: .equals("a b"))])
        #expect(try HarborQueryParser.parseQuery(nil).isEmpty)
    }

    @Test(arguments: ["name", "=v", "na me=v", "k=[a]", "k=[~]", "k={}", "k=[a~b", "bad;key=1"])
    func rejectsMalformedTerms(_ text: String) {
        #expect(throws: HarborError.self) { try HarborQueryParser.parseQuery(text) }
    }

    @Test func parsesSortKeys() throws {
        #expect(try HarborQueryParser.parseSort("name,-creation_time") ==
                [ListingSort(key: "name"), ListingSort(key: "creation_time", descending: true)])
        #expect(throws: HarborError.self) { try HarborQueryParser.parseSort("name;drop") }
    }

    @Test func pagingDefaultsAndLimits() throws {
        let plain = try HarborPaging(HTTPRequest(method: .get, target: "/api/v2.0/projects"))
        #expect(plain.page == 1 && plain.pageSize == 10 && plain.offset == 0)
        let third = try HarborPaging(HTTPRequest(method: .get, target: "/x?page=3&page_size=100"))
        #expect(third.offset == 200)
        for bad in ["page=0", "page_size=101", "page=x", "page_size=-1"] {
            #expect(throws: HarborError.self) { try HarborPaging(HTTPRequest(method: .get, target: "/x?" + bad)) }
        }
    }

    @Test func linkHeadersPointToNeighbours() throws {
        let request = HTTPRequest(method: .get, target: "/api/v2.0/projects?q=name%3D~a&page=2&page_size=5")
        let headers = try HarborPaging(request).headers(total: 12, request: request)
        #expect(headers[0].0 == "X-Total-Count" && headers[0].1 == "12")
        let link = try #require(headers.first { $0.0 == "Link" }?.1)
        #expect(link.contains("</api/v2.0/projects?q=name%3D~a&page=1&page_size=5>; rel=\"prev\""))
        #expect(link.contains("page=3&page_size=5>; rel=\"next\""))
        let last = HTTPRequest(method: .get, target: "/p?page=3&page_size=5")
        let lastLink = try HarborPaging(last).headers(total: 12, request: last).first { $0.0 == "Link" }?.1 ?? ""
        #expect(lastLink.contains("rel=\"prev\"") && !lastLink.contains("rel=\"next\""))
        let only = HTTPRequest(method: .get, target: "/p")
        #expect(try HarborPaging(only).headers(total: 3, request: only).count == 1)
    }

    @Test(arguments: [(HarborError.Code.badRequest, 400), (.unauthorized, 401), (.forbidden, 403), (.notFound, 404),
                      (.conflict, 409), (.preconditionFailed, 412), (.unprocessableEntity, 422),
                      (.internalServerError, 500)])
    func errorCodesMapToStatuses(_ code: HarborError.Code, _ status: Int) {
        let error = HarborError(code, "say \"why\"")
        #expect(error.status == status)
        #expect(error.jsonBody == "{\"errors\":[{\"code\":\"\(code.rawValue)\",\"message\":\"say \\\"why\\\"\"}]}")
        let response = HarborResponder.error(error, method: .get)
        #expect(response.status == status)
        #expect(HarborResponder.error(error, method: .head).body.knownLength == 0)
    }

    @Test func requestIDIsEchoedOrGenerated() {
        let given = HTTPRequest(method: .get, target: "/", headers: HTTPHeaders([("X-Request-Id", "abc-123")]))
        #expect(HarborRequestID.value(for: given) == "abc-123")
        let first = HarborRequestID.value(for: HTTPRequest(method: .get, target: "/"))
        let second = HarborRequestID.value(for: HTTPRequest(method: .get, target: "/"))
        #expect(first.count == 36 && first != second)
        let hostile = HTTPRequest(method: .get, target: "/", headers: HTTPHeaders([("X-Request-Id", "a b\u{7}")]))
        #expect(HarborRequestID.value(for: hostile) != "a b\u{7}")
    }

    @Test func timesRoundTrip() {
        #expect(ListingTime.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(ListingTime.format(1_709_251_199) == "2024-02-29T23:59:59.000Z")
        #expect(ListingTime.parse("2024-02-29 23:59:59") == 1_709_251_199)
        #expect(ListingTime.parse("2024-02-29T23:59:59.123Z") == 1_709_251_199)
        #expect(ListingTime.parse("2024-03-01") == 1_709_251_200)
        #expect(ListingTime.parse("2024-13-01") == nil)
        #expect(ListingTime.parse("yesterday") == nil)
    }
}
