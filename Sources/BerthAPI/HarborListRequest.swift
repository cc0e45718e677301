import BerthMetadata
import HTTPServer

/// The list conventions of one request: paging, `q` filters and `sort`, as a `ListingQuery`.
struct HarborListRequest: Sendable {
    let paging: HarborPaging
    let query: ListingQuery

    init(_ request: HTTPRequest) throws(HarborError) {
        paging = try HarborPaging(request)
        query = ListingQuery(terms: try HarborQueryParser.parseQuery(request.queryValue("q")),
                             sort: try HarborQueryParser.parseSort(request.queryValue("sort")),
                             offset: paging.offset, limit: paging.pageSize)
    }
}
