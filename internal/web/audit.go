package web

func (s *Server) auditRoutes() []Route { return nil }
