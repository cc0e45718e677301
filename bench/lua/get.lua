-- Plain GET (tags/list); counts non-2xx responses through wrk's own error summary
wrk.method = "GET"
