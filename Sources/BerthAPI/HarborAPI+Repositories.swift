import BerthAuth
import BerthCore
import BerthMetadata
import HTTPServer

extension HarborAPI {
    func registerRepositories(on router: inout HTTPRouter) {
        route(&router, .get, "/projects/{project}/repositories") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("repository", "list"), in: project)
            let list = try HarborListRequest(call.request)
            let page = try await listings.repositoryPage(namespace: project.name, query: list.query)
            return try HarborResponder.json(page.items.map { repositoryBody($0, project) },
                                            headers: list.paging.headers(total: page.total, request: call.request))
        }
        route(&router, .get, "/projects/{project}/repositories/{repository}") { call in
            let (project, repository) = try await repository(call, Permission("repository", "read"))
            return try HarborResponder.json(repositoryBody(repository, project))
        }
        route(&router, .put, "/projects/{project}/repositories/{repository}") { call in
            let (project, repository) = try await repository(call, Permission("repository", "update"))
            let body = try await HarborResponder.decode(HarborRepositoryRequest.self, from: call.request)
            _ = try await listings.setRepositoryDescription(repository.name, body.description ?? "")
            audit(call, project.name, resource: repository.name, type: "repository", operation: "update")
            return HarborResponder.empty()
        }
        route(&router, .delete, "/projects/{project}/repositories/{repository}") { call in
            let (project, repository) = try await repository(call, Permission("repository", "delete"))
            guard try await listings.deleteRepository(repository.name) else { throw HarborError.notFound("repository not found") }
            audit(call, project.name, resource: repository.name, type: "repository", operation: "delete")
            return HarborResponder.empty()
        }
    }

    /// The full repository name of the `{repository}` segment (Harbor encodes `/` twice: `a%252Fb`).
    func repositoryName(_ project: ProjectRecord, _ call: Call) throws -> String {
        let short = HarborQueryParser.decode(call.parameter("repository").replacingPlus())
        let full = project.name + "/" + short
        guard RepositoryName(full) != nil else { throw HarborError.badRequest("invalid repository name \(short)") }
        return full
    }

    /// The project and repository of the path, after checking `permission`.
    func repository(_ call: Call, _ permission: Permission) async throws -> (ProjectRecord, RepositoryListing) {
        let project = try await readableProject(call)
        try await require(call, permission, in: project)
        let name = try repositoryName(project, call)
        guard let repository = try await listings.repositoryListing(name) else {
            throw HarborError.notFound("repository \(name) not found")
        }
        return (project, repository)
    }

    func repositoryBody(_ repository: RepositoryListing, _ project: ProjectRecord) -> HarborRepository {
        HarborRepository(id: repository.id, project_id: project.id, name: repository.name,
                         description: repository.description, artifact_count: repository.artifactCount,
                         pull_count: repository.pullCount, creation_time: ListingTime.format(repository.createdAt),
                         update_time: ListingTime.format(repository.updatedAt))
    }

    /// Harbor's zero time for "never".
    static let never = "0001-01-01T00:00:00.000Z"
}

extension String {
    /// Protects a literal `+` from the form-style decoding (`+` as space) of `HarborQueryParser.decode`.
    func replacingPlus() -> String {
        var out = ""
        for character in self { out += character == "+" ? "%2B" : String(character) }
        return out
    }
}
