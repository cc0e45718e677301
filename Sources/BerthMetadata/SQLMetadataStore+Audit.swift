extension SQLMetadataStore {
    /// The audit keys, with text columns compared and sorted byte-wise on both databases.
    static var auditColumns: [ListingColumn] {
        [
            ListingColumn("username", dialect.byteOrdered("a.username")),
            ListingColumn("resource", dialect.byteOrdered("a.resource")),
            ListingColumn("resource_type", dialect.byteOrdered("a.resource_type")),
            ListingColumn("operation", dialect.byteOrdered("a.operation")),
            ListingColumn("op_time", "a.op_time", .time),
            ListingColumn("project", dialect.byteOrdered("a.project")),
        ]
    }

    public func appendAudit(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await write { db in
            for record in records {
                try db.run("""
                    INSERT INTO audit_logs (project, username, resource, resource_type, operation, remote_address, op_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [record.project.map(SQLValue.text) ?? .null, .text(record.username), .text(record.resource),
                          .text(record.resourceType), .text(record.operation), .text(record.remoteAddress),
                          .integer(record.time)])
            }
        }
    }

    public func auditPage(project: String?, query: ListingQuery) async throws -> ListingPage<AuditRecord> {
        let sql = Self.dialect.listing(try ListingSQL(query, columns: Self.auditColumns,
                                                      defaultSort: [ListingSort(key: "op_time", descending: true)],
                                                      tiebreak: ["a.id"]))
        var extra: [String] = []
        var parameters: [SQLValue] = []
        if let project {
            extra.append("a.project = ?")
            parameters.append(.text(project))
        }
        let filter = sql.whereClause(extra)
        parameters += sql.parameters
        return try await read { [parameters] db in
            try Self.page(db, countFrom: "audit_logs a \(filter)", select: """
                SELECT a.id, a.project, a.username, a.resource, a.resource_type, a.operation, a.remote_address, a.op_time
                FROM audit_logs a \(filter) ORDER BY \(sql.orderBy) LIMIT ? OFFSET ?
                """, parameters, query) { row in
                AuditRecord(id: row.integer(0), project: row.text(1), username: row.text(2) ?? "",
                            resource: row.text(3) ?? "", resourceType: row.text(4) ?? "", operation: row.text(5) ?? "",
                            remoteAddress: row.text(6) ?? "", time: row.integer(7))
            }
        }
    }

    public func purgeAudit(before cutoff: Int64) async throws -> Int {
        try await write { db in try db.run("DELETE FROM audit_logs WHERE op_time < ?", [.integer(cutoff)]) }
    }
}
